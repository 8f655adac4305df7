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
import { JackMidiDump } from '@music-transformer/test-midi/jack';
import { createRng, createVocab } from '@music-transformer/vocab';
import { describe, expect, it } from 'vitest';
import { REPO } from '../cli/helpers.js';
import { gateOnJack, quantile } from './jack.js';
import { dumpedNoteTimes, onsetDeviation } from './jack-dump.js';

const requireJack = gateOnJack();
const DEFAULT_MODEL = join(REPO, 'packages', 'cli', 'assets', 'default-model', 'model.safetensors');
const TAKE_MS = 15_000;

describe('live timing over JACK, measured by an external client (jack_midi_dump)', () => {
  it('plays the default model to an external client: nothing lost, in order, no note hanging; prints the onset deviation', async (ctx) => {
    requireJack(ctx);
    const model = readModelFile(new Uint8Array(readFileSync(DEFAULT_MODEL)), { fileName: DEFAULT_MODEL });
    const vocab = createVocab(model.vocab);
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
    expect(result.failure).toBeNull();
    // One line tells what priority the sending thread got and which output it sends through: the
    // frame-exact JACK output wherever it is built (scripts/setup-jack-midi.sh builds it, as CI does).
    expect(lines[0]).toMatch(/^live: (sending thread now SCHED_FIFO|normal priority)/);
    expect(lines[0]).toContain(
      findJackFrameAddon() ? '; output: frame-exact JACK output (RtMidi Output Client' : '; output: RtMidi',
    );

    // Nothing lost: everything the bridge sent arrived, in order; the stop's note-offs follow. (A loss
    // inside the receiver itself would show here first.)
    expect(dump.skipped).toBe(0);
    expect(sent.length).toBeGreaterThan(100);
    const played = received.slice(0, sent.length);
    expect(played.map((r) => [r.on, r.pitch])).toEqual(sent.map((s) => [s.on, s.pitch]));
    const sounding = new Map<number, number>();
    for (const r of received) sounding.set(r.pitch, (sounding.get(r.pitch) ?? 0) + (r.on ? 1 : -1));
    expect([...sounding.values()].filter((n) => n > 0)).toEqual([]);
    expect(result.recording).not.toBeNull();

    const ons = sent.filter((s) => s.on).map((s) => s.due);
    const deviation = onsetDeviation(
      ons,
      played.filter((r) => r.on).map((r) => r.ms),
    );
    // The sending thread's own lateness (its clock at the send), beside what the receiver saw, so a
    // failure shows which side slipped.
    const late = sent.map((x) => x.lateMs);
    const sender = { p99: quantile(late, 0.99), max: Math.max(...late) };
    // The onset figures are printed, not asserted: the 1 ms p99 goal (one median removed) is not reached
    // reliably over jack_midi_dump with JACK's dummy driver on a shared machine. With the frame-exact
    // output nearly every onset lands on its frame (local p50 0), but the dummy driver restarts its frame
    // clock after each late cycle, so the receiver's frame stamps fall behind real time by steps (global p99
    // 0.13-8.6 ms in the runs here with 1-3 restarts per take, more with more; see docs/live-timing.md). A timing assertion that can flake
    // with the machine's load belongs to the benchmark. test/live/output.test.ts bounds p99 at 3 ms.
    console.log(`[live timing e2e] ${JSON.stringify({ notes: ons.length, ...deviation, sender, lines })}`);
  }, 120_000);
});
