import { spawnSync } from 'node:child_process';
import { quantile } from '@music-transformer/test-midi';
import { beforeAll, describe, expect, it, type TestContext } from 'vitest';
import {
  findJackFrameAddon,
  JACK_CLIENT_NAME,
  JACK_CONNECTING_PORT_NAME,
  type JackFrameAddon,
  loadJackFrameAddon,
} from './jack-frame-output.js';
import {
  type DumpedMessage,
  JackMidiDump,
  jackFramesUnavailable,
  jackPorts,
} from './test-utils/jack-midi-dump.js';

/**
 * The native frame-exact output against the real JACK server, read by an external client
 * (jack_midi_dump -a, which prints the absolute frame of each message).
 */
let reason: string | null = null;
let addon: JackFrameAddon;
beforeAll(() => {
  reason = jackFramesUnavailable();
  if (reason === null) addon = loadJackFrameAddon(findJackFrameAddon() as string);
  else console.warn(`[jack-frame-output] skipped: ${reason}`);
});
const requireJack = (ctx: TestContext) => {
  if (reason !== null) ctx.skip(reason);
};

const hrtimeUs = () => Number(process.hrtime.bigint()) / 1e3;
const noteOn = (i: number) => 0x90 | ((36 + (i % 60)) << 8) | ((1 + (i % 126)) << 16);
const pitchOf = (m: DumpedMessage) => m.bytes[1];
const velocityOf = (m: DumpedMessage) => m.bytes[2];

describe('the frame-exact JACK output (native)', () => {
  it('writes each message at the frame of its time, in order, none lost', async (ctx) => {
    requireJack(ctx);
    const dump = await JackMidiDump.start(`mt-frames-dump-${process.pid}`);
    const handle = addon.open(JACK_CLIENT_NAME, JACK_CONNECTING_PORT_NAME, dump.port);
    const { sampleRate, bufferSize } = addon.info(handle);
    const offset = new Float64Array(1);
    addon.clockOffset(handle, offset);
    // Pairs of messages a few hundred µs apart (not a multiple of the period: a writer that puts
    // everything at frame 0 of a cycle, as RtMidi does, gets their distance wrong), one pair every
    // 23.7 ms over 2.4 s, all handed over at once, ahead of time.
    const start = hrtimeUs() + (offset[0] as number) + 150_000;
    const times: number[] = [];
    for (let pair = 0; pair < 100; pair++) {
      const first = start + pair * 23_700;
      times.push(first, first + 150 + ((pair * 37) % 900));
    }
    for (const [i, t] of times.entries()) expect(addon.sendAt(handle, noteOn(i), t)).toBe(1);
    expect(addon.close(handle, 5000)).toBe(true);
    const received = await dump.finish();

    expect(dump.skipped).toBe(0);
    expect(received.map((m) => [pitchOf(m), velocityOf(m)])).toEqual(
      times.map((_, i) => [36 + (i % 60), 1 + (i % 126)]),
    );
    // Within a pair the frame distance is the time distance (JACK's own time-to-frame mapping, so
    // within a frame of rounding); a dummy driver's missed cycle (an xrun, from other load on the
    // machine) can fall between the two of a pair, so a few percent may differ.
    const errors: number[] = [];
    for (let i = 0; i < times.length; i += 2) {
      const want = (((times[i + 1] as number) - (times[i] as number)) * sampleRate) / 1e6;
      errors.push(
        Math.abs((received[i + 1] as DumpedMessage).frame - (received[i] as DumpedMessage).frame - want),
      );
    }
    const exact = errors.filter((e) => e <= 1).length;
    console.log(
      `[jack-frame-output] pairs within 1 frame: ${exact}/${errors.length}; error p50 ${quantile(errors, 0.5)} frames, period ${bufferSize}`,
    );
    expect(quantile(errors, 0.5)).toBeLessThanOrEqual(1);
    expect(exact).toBeGreaterThanOrEqual(errors.length * 0.95);
  }, 30_000);

  it('a late message goes out at once, in order; close waits for messages due later; sendAt after close is refused', async (ctx) => {
    requireJack(ctx);
    const dump = await JackMidiDump.start(`mt-frames-flush-${process.pid}`);
    const handle = addon.open(JACK_CLIENT_NAME, JACK_CONNECTING_PORT_NAME, dump.port);
    const info = addon.info(handle);
    const offset = new Float64Array(1);
    addon.clockOffset(handle, offset);
    const now = hrtimeUs() + (offset[0] as number);
    expect(addon.sendAt(handle, noteOn(0), now - 50_000)).toBe(1); // 50 ms late
    expect(addon.sendAt(handle, noteOn(1), now - 40_000)).toBe(1);
    // Due 200-400 ms from now: close must not return before they were written.
    for (let i = 2; i < 12; i++) expect(addon.sendAt(handle, noteOn(i), now + 200_000 + i * 20_000)).toBe(1);
    expect(addon.close(handle, 2000)).toBe(true);
    // The last one was due 420 ms after `now`: close returned after that.
    expect(hrtimeUs() + (offset[0] as number)).toBeGreaterThanOrEqual(now + 420_000);
    expect(addon.sendAt(handle, noteOn(99), now)).toBe(-1);
    const received = await dump.finish();
    expect(received.map(pitchOf)).toEqual(Array.from({ length: 12 }, (_, i) => 36 + i));
    // The late ones go out at the first frame of the next cycle (frame counts start at 0 and advance
    // by whole periods); later ones keep their frames.
    const { bufferSize } = info;
    expect(received.slice(0, 2).map((m) => m.frame % bufferSize)).toEqual([0, 0]);
    const frames = received.map((m) => m.frame);
    expect(frames).toEqual([...frames].sort((a, b) => a - b));
    expect(frames.slice(2).some((f) => f % bufferSize !== 0)).toBe(true);
  }, 30_000);

  it("a virtual port is named as RtMidi's is, and other clients connect to it", async (ctx) => {
    requireJack(ctx);
    const name = `mt frames virtual ${process.pid}`;
    const handle = addon.open(JACK_CLIENT_NAME, name, null);
    const { port } = addon.info(handle);
    // JACK makes the client name unique (`RtMidi Output Client-01`, ...) when another one has it.
    expect(port).toMatch(new RegExp(`^${JACK_CLIENT_NAME}(-\\d+)?:${name}$`));
    expect(jackPorts()).toContain(port);
    const dump = await JackMidiDump.start(`mt-frames-virtual-${process.pid}`);
    const connect = spawnSync('jack_connect', [port, dump.port], { encoding: 'utf8' });
    expect(connect.status, connect.stderr).toBe(0);
    const offset = new Float64Array(1);
    addon.clockOffset(handle, offset);
    const at = hrtimeUs() + (offset[0] as number) + 50_000;
    for (let i = 0; i < 5; i++) expect(addon.sendAt(handle, noteOn(i), at + i * 1000)).toBe(1);
    expect(addon.close(handle, 2000)).toBe(true);
    const received = await dump.finish();
    expect(received.map(pitchOf)).toEqual([36, 37, 38, 39, 40]);
    expect(jackPorts()).not.toContain(port);
  }, 30_000);

  it('opening a port that does not exist fails with one clear error', (ctx) => {
    requireJack(ctx);
    expect(() => addon.open(JACK_CLIENT_NAME, JACK_CONNECTING_PORT_NAME, 'no such client:input')).toThrow(
      /cannot connect to JACK port 'no such client:input'/,
    );
  });
});
