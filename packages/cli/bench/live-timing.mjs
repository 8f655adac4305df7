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
import { jackCycle, jackServerTrouble, jackTroubleBetween } from '@music-transformer/test-midi/jack';

const HERE = dirname(fileURLToPath(import.meta.url));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 12);
const LOADS = (process.env.BENCH_LOADS ?? '0,3,7').split(',').map(Number);
const RT = process.env.BENCH_REALTIME ?? 'both';
const modes = RT === 'both' ? [true, false] : [RT === 'on'];
const FRAME_RATE = 48_000; // scripts/start-jack.sh runs the dummy driver at 48 kHz

function quantile(values, q) {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

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
  const dump = spawn('jack_midi_dump', ['-a', client], { stdio: ['ignore', 'pipe', 'pipe'] });
  const dumped = collect(dump);
  // The receiver drops events itself when its own process cycle outruns its printing thread.
  let skipped = 0;
  dump.stderr.on('data', (chunk) => {
    skipped += String(chunk).split('ringbuffer was full').length - 1;
  });
  await new Promise((resolve) => setTimeout(resolve, 1000)); // the client registers its port
  const args = [join(HERE, 'live-take.mjs'), client, String(SECONDS), realtime ? 'realtime' : 'no-realtime'];
  const live = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const taken = collect(live);
  const code = await new Promise((resolve) => live.on('exit', resolve));
  await new Promise((resolve) => setTimeout(resolve, 300));
  dump.kill('SIGINT');
  await new Promise((resolve) => dump.on('exit', resolve));
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
  const received = [];
  for (const line of dumped().split('\n')) {
    const m = /^\s*(\d+): ([89][0-9a-f]) ([0-9a-f]{2}) ([0-9a-f]{2})/.exec(line);
    if (!m) continue;
    const on = m[2][0] === '9' && Number.parseInt(m[4], 16) > 0;
    received.push([on ? 1 : 0, Number.parseInt(m[3], 16), (Number(m[1]) / FRAME_RATE) * 1000]);
  }
  const sentOns = sent.filter((s) => s[0] === 1);
  // The scheduled messages arrive first and in order; the silencing note-offs of the stop follow.
  const played = received.slice(0, sent.length);
  const inOrder = played.every((r, i) => r[0] === sent[i][0] && r[1] === sent[i][1]);
  const receivedOns = played.filter((r) => r[0] === 1);
  const offsets = receivedOns.map((r, i) => r[2] - sentOns[i][2]);
  const median = quantile(offsets, 0.5);
  const dev = offsets.map((o) => Math.abs(o - median));
  // jack_midi_dump -a counts the frames of its own process cycles: a cycle it misses under load is
  // lost from its clock for good, a step in every later offset. The local figure measures each note
  // against the median offset of the notes within 1 s of it, which steps of the receiver's clock do
  // not move (the sender's own jitter stays in it).
  const dues = sentOns.map((s) => s[2]);
  const local = offsets.map((o, i) => {
    const near = offsets.filter((_, j) => Math.abs(dues[j] - dues[i]) <= 1000);
    return Math.abs(o - quantile(near, 0.5));
  });
  const head = quantile(offsets.slice(0, 10), 0.5);
  const tail = quantile(offsets.slice(-10), 0.5);
  if (process.env.BENCH_TRACE) console.error(offsets.map((o) => (o - median).toFixed(2)).join(' '));
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
    receiver_skipped: skipped,
    hanging_after_stop: hanging,
    p50_ms: +quantile(dev, 0.5).toFixed(3),
    p99_ms: +quantile(dev, 0.99).toFixed(3),
    max_ms: +Math.max(...dev).toFixed(3),
    local_p50_ms: +quantile(local, 0.5).toFixed(3),
    local_p99_ms: +quantile(local, 0.99).toFixed(3),
    local_max_ms: +Math.max(...local).toFixed(3),
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
