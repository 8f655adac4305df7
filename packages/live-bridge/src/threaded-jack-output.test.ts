import { quantile } from '@music-transformer/test-midi';
import { beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { monotonicClock } from './clock.js';
import { JACK_SEND_AHEAD_MS } from './jack-frame-output.js';
import { noteOff, noteOn } from './messages.js';
import { packMessage } from './send-ring.js';
import { SEND_WORKER_URL } from './test-utils/dist-urls.js';
import { type DumpedMessage, JackMidiDump, jackFramesUnavailable } from './test-utils/jack-midi-dump.js';
import { openThreadedOutput } from './threaded-output.js';

/**
 * The sending thread with the frame-exact JACK output (the path `mt live` takes where it is built),
 * against the real JACK server, read by jack_midi_dump -a: due times on the bridge's clock become
 * frames the right distance apart, what is handed over counts as sent at its due time, and closing
 * delivers everything handed over. Uses the built send-worker.js (`pnpm build` first).
 */
let reason: string | null = null;
beforeAll(() => {
  reason = jackFramesUnavailable();
  if (reason) console.warn(`[threaded JACK output] skipped: ${reason}`);
});
const requireJack = (ctx: TestContext) => {
  if (reason !== null) ctx.skip(reason);
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The sending thread connected to a fresh `jack_midi_dump` client (an external reader). */
async function outputIntoDump(client: string) {
  const dump = await JackMidiDump.start(`${client}-${process.pid}`);
  const output = openThreadedOutput(
    dump.port,
    false,
    { realtime: false, clock: monotonicClock },
    SEND_WORKER_URL,
  );
  return { dump, output };
}

describe('the sending thread over the frame-exact JACK output', () => {
  it('places messages due on the bridge clock at frames their time apart; close delivers all of them', async (ctx) => {
    requireJack(ctx);
    const { dump, output } = await outputIntoDump('mt-threaded-dump');
    expect(output.through).toMatchObject({
      kind: 'jack-frames',
      port: expect.stringMatching(/:RtMidi Output$/),
    });
    const timed = output.timed;
    // 60 notes, 37.3 ms apart (no multiple of the period), each released 11.1 ms later; the first due
    // 150 ms from now, so the sending thread hands each over JACK_SEND_AHEAD_MS ahead while running.
    const start = monotonicClock.now() + 150;
    const dues: number[] = [];
    for (let i = 0; i < 60; i++) {
      const on = start + i * 37.3;
      timed.sendAt(noteOn(0, 40 + (i % 40), 90), on);
      timed.sendAt(noteOff(0, 40 + (i % 40)), on + 11.1);
      dues.push(on, on + 11.1);
    }
    await sleep(60 * 37.3 + 250);
    const sent = timed.collect();
    output.close();
    const received = await dump.finish();

    // Handed over ahead: each counts as sent at its due time (not late).
    expect(sent.length).toBe(120);
    expect(sent.every((r) => r.sentMs === r.dueMs)).toBe(true);
    expect(received.map((m) => m.bytes)).toEqual(
      sent.map((r) => {
        const packed = packMessage(r.item);
        return [packed & 0xff, (packed >> 8) & 0xff, (packed >> 16) & 0xff];
      }),
    );
    // Each message's frame distance from the one before equals their due-time distance (48 frames per
    // ms; 11.1 and 26.2 ms, no multiple of the 32-frame period, so writing at a cycle's first frame, as
    // RtMidi does, misses by up to a period), to within a frame. A restart of the dummy driver's frame
    // clock (a late cycle on a busy machine) falls between two messages now and then, so 75 % must be.
    const errors = received
      .slice(1)
      .map(
        (m, i) =>
          m.frame -
          (received[i] as DumpedMessage).frame -
          ((dues[i + 1] as number) - (dues[i] as number)) * 48,
      );
    const exact = errors.filter((e) => Math.abs(e) <= 1).length;
    console.log(
      `[threaded JACK output] ${exact}/${errors.length} distances within 1 frame (error p50 ${quantile(errors.map(Math.abs), 0.5).toFixed(2)} frames); ahead ${JACK_SEND_AHEAD_MS} ms`,
    );
    expect(exact).toBeGreaterThanOrEqual(errors.length * 0.75);
  }, 30_000);

  it('closing right after handing over messages due later still delivers them (the last note-offs)', async (ctx) => {
    requireJack(ctx);
    const { dump, output } = await outputIntoDump('mt-threaded-close');
    const now = monotonicClock.now();
    output.timed.sendAt(noteOn(3, 60, 100), now + 5);
    output.timed.sendAt(noteOff(3, 60), now + 60);
    output.timed.sendAt({ type: 'cc', channel: 3, controller: 123, value: 0 }, now + 60);
    output.close();
    const received = await dump.finish();
    expect(received.map((m) => m.bytes)).toEqual([
      [0x93, 60, 100],
      [0x83, 60, 0],
      [0xb3, 123, 0],
    ]);
  }, 30_000);
});
