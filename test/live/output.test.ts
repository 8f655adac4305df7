import { join } from 'node:path';
import {
  codecFromVocab,
  createWorkerGenerator,
  LiveBridge,
  monotonicClock,
  openMidiBackend,
  requestRealtimePriority,
} from '@music-transformer/live-bridge';
import { quantile } from '@music-transformer/test-midi';
import { jackCycle } from '@music-transformer/test-midi/jack';
import { createRng, createVocab } from '@music-transformer/vocab';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../cli/helpers.js';
import { gateOnJack, Receiver, sleep } from './jack.js';

const requireJack = gateOnJack();

describe('live bridge over real JACK MIDI ports', () => {
  it('delivers every note in order to a second client, none early, and leaves none hanging on stop (onset error printed)', async (ctx) => {
    requireJack(ctx);
    requestRealtimePriority();
    const portName = `Music Transformer e2e ${process.pid}`;
    const backend = await openMidiBackend(monotonicClock);
    const output = backend.openOutput(portName, true);
    const receiver = await Receiver.start(portName);
    // Real piano traffic (a Joplin rag, ~6 notes/s with chords) so that p99 rests on a few hundred
    // messages; the worker path is the same one the model uses (MODEL_SOURCE_URL in the other suites).
    const generator = createWorkerGenerator({
      sourceModule: new URL('./fixture-source.mjs', import.meta.url).href,
      sourceOptions: { file: join(FIXTURES, 'peacherine-rag.mid') },
    });
    const bridge = new LiveBridge({
      codec: codecFromVocab(createVocab()),
      generator,
      output,
      rng: createRng(1),
      channel: 2,
    });
    const sent: Array<{ on: boolean; pitch: number; due: number; lateMs: number }> = [];
    bridge.on('note', (n) => sent.push({ on: n.on, pitch: n.pitch, due: n.time, lateMs: n.lateMs }));
    await bridge.start();
    await sleep(30_000); // ~550 messages, so one delayed chord cannot decide the p99
    await bridge.stop();
    await sleep(300);
    const received = await receiver.finish();
    output.close();

    const notes = received.filter((m) => m.type === 'noteon' || m.type === 'noteoff');
    // The scheduled notes arrive first, in order, then the silencing note-offs of the stop.
    expect(sent.length).toBeGreaterThan(400);
    const played = notes.slice(0, sent.length);
    expect(played.map((m) => [m.type === 'noteon' && m.velocity > 0, m.note])).toEqual(
      sent.map((s) => [s.on, s.pitch]),
    );
    expect(played.every((m) => m.channel === 2)).toBe(true);
    const onsetErrors = played.map((m, i) => m.ms - (sent[i] as { due: number }).due);
    // The sender's own lateness is logged beside the onset error, so a failure shows which side stalled.
    const senderLate = sent.map((x) => x.lateMs);
    const summary = {
      notes: onsetErrors.length,
      p50: quantile(onsetErrors, 0.5),
      p99: quantile(onsetErrors, 0.99),
      senderP99: quantile(senderLate, 0.99),
      senderMax: Math.max(...senderLate),
    };
    // Printed, not bounded: how late notes arrive depends on the machine's load (a fresh-clone CI run
    // here measured p99 9.9 ms with the sending thread itself 6.8 ms late, other runs 0.8-2.8 ms), and
    // a timing bound that can flake with the load belongs to a benchmark: `MT_JACK_FRAMES=0 node
    // packages/cli/bench/live-timing.mjs` measures this RtMidi path through `mt live`'s assembly. By
    // JACK's design RtMidi's delivery takes up to two cycles (`cycleMs`): it writes each message at the
    // start of the next cycle, and the receiver may run before the writer in that cycle's graph.
    // What must hold on any machine is asserted: nothing early, nothing lost, in order, none hanging.
    console.log(
      `[live e2e] onset error over JACK: ${JSON.stringify({ ...summary, cycleMs: jackCycle().ms })}`,
    );
    expect(Math.min(...onsetErrors)).toBeGreaterThanOrEqual(0);

    // After stop: every note-on has its note-off, and All Notes Off closes the channel.
    const sounding = new Map<number, number>();
    for (const m of notes) {
      const on = m.type === 'noteon' && m.velocity > 0;
      sounding.set(m.note, (sounding.get(m.note) ?? 0) + (on ? 1 : -1));
    }
    expect([...sounding.values()].filter((n) => n > 0)).toEqual([]);
    expect(received.at(-1)).toMatchObject({ type: 'cc', channel: 2, controller: 123 });
  });
});
