// Live timing over JACK, measured by an external client: `mt live`'s assembly (bench/live-take.mjs,
// default model) sends into `jack_midi_dump -a`, which stamps each message with JACK's frame clock.
// Onset deviation = arrival - due, after removing the take's median offset (the fixed latency of the
// JACK graph); p50/p99/max are of its absolute value, over note-ons. One JSON line per take:
// N busy processes (`yes`, N = 0, 3, 7 by default) x real-time priority on/off.
// Needs a running JACK server (scripts/start-jack.sh) and the JACK build of the MIDI addon
// (scripts/setup-jack-midi.sh). Env: BENCH_SECONDS (default 12), BENCH_LOADS (default "0,3,7"),
// BENCH_REALTIME ("both" | "on" | "off", default both). On a shared machine "0 busy" is not idle: say so
// (each line carries the 1-minute load average at its start and, from the JACK server's log (JACK_LOG,
// default /tmp/jackd.log, as scripts/start-jack.sh writes it), the driver's clock restarts and the
// cycles clients missed during it).
// The bridge sends through the frame-exact JACK output where it is built (scripts/setup-jack-midi.sh);
// MT_JACK_FRAMES=0 measures the RtMidi path instead. Each line says which (`output`).
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { quantile } from '@music-transformer/test-midi';
import {
  dumpedNotes,
  JackMidiDump,
  jackCycle,
  jackServerTrouble,
  jackTroubleBetween,
  onsetDeviation,
} from '@music-transformer/test-midi/jack';

const HERE = dirname(fileURLToPath(import.meta.url));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 12);
const LOADS = (process.env.BENCH_LOADS ?? '0,3,7').split(',').map(Number);
const RT = process.env.BENCH_REALTIME ?? 'both';
const modes = RT === 'both' ? [true, false] : [RT === 'on'];
const FRAME_RATE = 48_000; // scripts/start-jack.sh runs the dummy driver at 48 kHz

function collect(child) {
  let text = '';
  child.stdout.on('data', (chunk) => {
    text += chunk;
  });
  return () => text;
}

async function take(busy, realtime, index) {
  const load = loadavg()[0];
  const troubleBefore = jackServerTrouble();
  const hogs = Array.from({ length: busy }, () => spawn('yes', [], { stdio: 'ignore' }));
  const client = `mt-bench-dump-${process.pid}-${index}`;
  const dump = await JackMidiDump.start(client);
  const args = [join(HERE, 'live-take.mjs'), client, String(SECONDS), realtime ? 'realtime' : 'no-realtime'];
  const live = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const taken = collect(live);
  const code = await new Promise((resolve) => live.on('exit', resolve));
  await new Promise((resolve) => setTimeout(resolve, 300));
  const dumped = await dump.finish();
  for (const hog of hogs) hog.kill('SIGKILL');
  if (code !== 0) throw new Error(`live take exited with ${code}`);
  const trouble = jackTroubleBetween(troubleBefore, jackServerTrouble());
  const lateOf = (pick) =>
    trouble === null
      ? null
      : Object.entries(trouble.lateCycles)
          .filter(([name]) => pick(name))
          .reduce((n, [, k]) => n + k, 0);
  const { sent, priority: startLine } = JSON.parse(taken().trim().split('\n').at(-1));
  const [priority, output = ''] = startLine.split('; output: ');
  const received = dumpedNotes(dumped).map((n) => [n.on ? 1 : 0, n.pitch, (n.frame / FRAME_RATE) * 1000]);
  const sentOns = sent.filter((s) => s[0] === 1);
  // The scheduled messages arrive first and in order; the silencing note-offs of the stop follow.
  const played = received.slice(0, sent.length);
  const inOrder = played.every((r, i) => r[0] === sent[i][0] && r[1] === sent[i][1]);
  const receivedOns = played.filter((r) => r[0] === 1);
  // Global and local deviation (onsetDeviation says why both); the offsets give the receiver's drift.
  const { global, local } = onsetDeviation(
    sentOns.map((s) => s[2]),
    receivedOns.map((r) => r[2]),
  );
  const offsets = receivedOns.map((r, i) => r[2] - sentOns[i][2]);
  const head = quantile(offsets.slice(0, 10), 0.5);
  const tail = quantile(offsets.slice(-10), 0.5);
  if (process.env.BENCH_TRACE) {
    const median = quantile(offsets, 0.5);
    console.error(offsets.map((o) => (o - median).toFixed(2)).join(' '));
  }
  // Every note-on received is matched by a note-off (from the music or the stop's silencing).
  const balance = new Map();
  for (const [on, pitch] of received) balance.set(pitch, (balance.get(pitch) ?? 0) + (on ? 1 : -1));
  const hanging = [...balance.values()].filter((n) => n > 0).length;
  return {
    bench: 'live/jack-onset-deviation',
    busy,
    realtime,
    priority,
    output: output.startsWith('frame-exact JACK output') ? 'jack-frames' : 'rtmidi',
    seconds: SECONDS,
    jack_period_frames: jackCycle().frames,
    load_1m_at_start: +load.toFixed(2),
    server_xruns: trouble?.restarts ?? null,
    // Cycles the receiver missed (each lost from its frame count: a step in the global figure) and
    // cycles other clients missed (the sending process's among them).
    receiver_late_cycles: lateOf((name) => name === client),
    other_late_cycles: lateOf((name) => name !== client),
    notes_sent: sentOns.length,
    notes_received: received.filter((r) => r[0] === 1).length,
    in_order: inOrder,
    receiver_skipped: dump.skipped,
    hanging_after_stop: hanging,
    p50_ms: +global.p50.toFixed(3),
    p99_ms: +global.p99.toFixed(3),
    max_ms: +global.max.toFixed(3),
    local_p50_ms: +local.p50.toFixed(3),
    local_p99_ms: +local.p99.toFixed(3),
    local_max_ms: +local.max.toFixed(3),
    receiver_clock_drift_ms: +(tail - head).toFixed(3),
    sender_late_p99_ms: +quantile(
      sent.map((s) => s[3]),
      0.99,
    ).toFixed(3),
    sender_late_max_ms: +Math.max(...sent.map((s) => s[3])).toFixed(3),
    cores: (await import('node:os')).cpus().length,
  };
}

let index = 0;
for (const busy of LOADS) {
  for (const realtime of modes) {
    console.log(JSON.stringify(await take(busy, realtime, index++)));
  }
}
