// A second MIDI client in its own process, as a DAW would be: it opens the input port whose name
// contains argv[2], prints "ready", then records every message with its arrival time on the system's
// monotonic clock (process.hrtime, comparable across processes) and prints them as one JSON line when
// stdin closes.
import {
  monotonicClock,
  openMidiBackend,
  requestRealtimePriority,
  resolvePortName,
} from '@music-transformer/live-bridge';

const wanted = process.argv[2];
requestRealtimePriority(); // like a DAW's MIDI thread; best effort
const backend = await openMidiBackend(monotonicClock);
const name = resolvePortName(wanted, backend.listInputs(), 'input');
const input = backend.openInput(name, false);
const received = [];
input.onMessage((message, ms) => received.push({ ...message, ms }));
process.stdout.write('ready\n');
process.stdin.resume();
process.stdin.on('end', () => {
  input.close();
  process.stdout.write(`${JSON.stringify(received)}\n`);
  process.exit(0);
});
