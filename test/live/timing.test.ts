import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  codecFromVocab,
  findJackFrameAddon,
  monotonicClock,
  openMidiBackend,
  runLiveSession,
} from '@music-transformer/live-bridge';
import { readModelFile } from '@music-transformer/model';
import { quantile } from '@music-transformer/test-midi';
import {
  JackMidiDump,
  jackServerTrouble,
  jackTroubleBetween,
  onsetDeviation,
} from '@music-transformer/test-midi/jack';
import { createRng, createVocab } from '@music-transformer/vocab';
import { describe, expect, it } from 'vitest';
import { REPO } from '../cli/helpers.js';
import { gateOnJack } from './jack.js';
import { type Dumped, dumpedNoteTimes } from './jack-dump.js';

const requireJack = gateOnJack();
const DEFAULT_MODEL = join(REPO, 'packages', 'cli', 'assets', 'default-model', 'model.safetensors');
const TAKE_MS = 15_000;

/** One take of the default model into `jack_midi_dump -a`, with what the bridge says it sent. */
async function take() {
  const model = readModelFile(new Uint8Array(readFileSync(DEFAULT_MODEL)), { fileName: DEFAULT_MODEL });
  const vocab = createVocab(model.vocab);
  const troubleBefore = jackServerTrouble();
  const dump = await JackMidiDump.start(`mt-e2e-dump-${process.pid}`);
  const sent: Array<{ on: boolean; pitch: number; due: number; lateMs: number }> = [];
  const lines: string[] = [];
  const stop = new AbortController();
  const result = await runLiveSession(
    {
      backend: await openMidiBackend(monotonicClock),
      output: { existing: dump.port },
      codec: codecFromVocab(vocab),
      model: {
        hparams: model.hparams,
        weights: Object.fromEntries(model.weights),
        vocabConfig: vocab.config,
        seed: 7,
      },
      rng: createRng(7).fork('density'),
      mode: 'generate',
      bpm: 120,
      lookaheadMs: 2000,
      channel: 0,
      offsetMs: 0,
      followClock: false,
      silenceBeats: 4,
      controls: {},
      ccMap: {},
      record: true,
      realtime: true,
      signal: stop.signal,
    },
    {
      note: (line) => lines.push(line),
      warn: (line) => lines.push(line),
      attach: async (bridge) => {
        bridge.on('note', (n) => sent.push({ on: n.on, pitch: n.pitch, due: n.time, lateMs: n.lateMs }));
        bridge.once('note', () => setTimeout(() => stop.abort(), TAKE_MS));
        return undefined;
      },
    },
  );
  const received = dumpedNoteTimes(await dump.finish());
  const trouble = jackTroubleBetween(troubleBefore, jackServerTrouble());
  // A cycle the receiver did not run loses that cycle's messages at the receiver, not at the sender.
  const receiverMissed = trouble?.lateCycles[dump.client] ?? 0;
  // The receiver's clock is one clock only if the driver kept its schedule and the receiver ran every
  // cycle (jackServerTrouble says why); null when the server's log cannot be read.
  const clockBroken = trouble === null ? null : trouble.restarts > 0 || receiverMissed > 0;
  return { result, sent, lines, received, skipped: dump.skipped, trouble, clockBroken, receiverMissed };
}

describe('live timing over JACK, measured by an external client (jack_midi_dump)', () => {
  it('plays the default model to an external client: onset p99 <= 1 ms, nothing lost, in order, no note hanging', async (ctx) => {
    requireJack(ctx);
    // The receiver stamps in JACK frames, counted over the cycles it ran. JACK's dummy driver restarts its
    // cycle schedule after a cycle that started too late (a stalled VM), after which frames run behind
    // real time by what it lost, and a cycle the receiver misses is lost from its count: a take with
    // either has no single clock to measure onsets against (one median offset). Such a take is taken
    // again (the server's log says when either happened), at most twice.
    const frameExact = findJackFrameAddon() !== null;
    // CI builds it (scripts/setup-jack-midi.sh), so there the 1 ms assertion below cannot be bypassed.
    if (process.env.MT_REQUIRE_JACK === '1' && process.env.MT_JACK_FRAMES !== '0')
      expect(frameExact).toBe(true);
    // Every take, measured or not, must deliver everything.
    const delivered = async () => {
      const run = await take();
      const { result, sent, lines, received, skipped } = run;
      expect(result.failure).toBeNull();
      // One line tells what priority the sending thread got and which output it sends through: the
      // frame-exact JACK output wherever it is built (scripts/setup-jack-midi.sh builds it, as CI does).
      expect(lines[0]).toMatch(/^live: (sending thread now SCHED_FIFO|normal priority)/);
      expect(lines[0]).toContain(
        frameExact ? '; output: frame-exact JACK output (RtMidi Output Client' : '; output: RtMidi',
      );
      // Nothing lost: everything the bridge sent arrived, in order; the stop's note-offs follow. (A loss
      // inside the receiver itself would show here first.)
      expect(skipped).toBe(0);
      expect(sent.length).toBeGreaterThan(100);
      const key = (m: { on: boolean; pitch: number }) => `${m.on ? 'on' : 'off'} ${m.pitch}`;
      if (run.receiverMissed === 0) {
        const played = received.slice(0, sent.length);
        expect(played.map(key)).toEqual(sent.map(key));
        const sounding = new Map<number, number>();
        for (const r of received) sounding.set(r.pitch, (sounding.get(r.pitch) ?? 0) + (r.on ? 1 : -1));
        expect([...sounding.values()].filter((n) => n > 0)).toEqual([]);
      } else {
        // The server's log says the receiver missed cycles, so it may have lost their messages (at most a
        // chord's worth, 4, per cycle): what did arrive must be what was sent, in order, followed by the
        // stop's note-offs.
        let next = 0;
        let missing = 0;
        for (const m of sent) {
          if (next < received.length && key(received[next] as Dumped) === key(m)) next++;
          else missing++;
        }
        expect(missing).toBeLessThanOrEqual(4 * run.receiverMissed);
        expect(received.slice(next).every((r) => !r.on)).toBe(true);
        if (missing > 0)
          console.warn(`[live timing e2e] ${missing} lost at the receiver: ${JSON.stringify(run.trouble)}`);
      }
      expect(result.recording).not.toBeNull();
      return { ...run, played: received.slice(0, sent.length) };
    };
    let run = await delivered();
    const retaken: Array<typeof run.trouble> = [];
    while (run.clockBroken === true && retaken.length < 2) {
      retaken.push(run.trouble);
      run = await delivered();
    }
    const { sent, lines, played, trouble } = run;

    const ons = sent.filter((s) => s.on).map((s) => s.due);
    const deviation = onsetDeviation(
      ons,
      played.filter((r) => r.on).map((r) => r.ms),
    );
    // The sending thread's own lateness (its clock at the send), beside what the receiver saw, so a
    // failure shows which side slipped.
    const late = sent.map((x) => x.lateMs);
    const sender = { p99: quantile(late, 0.99), max: Math.max(...late) };
    console.log(
      `[live timing e2e] ${JSON.stringify({ notes: ons.length, ...deviation, sender, trouble, retaken, lines })}`,
    );
    // The idle goal, asserted where the frame-exact output is built: every onset on its own frame, so the
    // p99 deviation from the take's median offset is a frame or two. It is measurable only in a take
    // whose receiver clock held; here one of three takes usually does (docs/live-timing.md). When
    // none did, the server's log has shown why, and this says so rather than measuring a broken clock.
    // RtMidi writes each message at the start of a cycle; test/live/output.test.ts bounds that path.
    if (frameExact && run.clockBroken !== true) expect(deviation.global.p99).toBeLessThanOrEqual(1);
    else if (frameExact)
      console.warn(`[live timing e2e] onsets not measured: the receiver's clock broke in 3 takes`);
  }, 240_000);
});
