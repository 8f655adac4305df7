import { describe, expect, it } from 'vitest';
import { noteOff, noteOn } from './messages.js';
import {
  CTRL,
  createRingBuffer,
  packMessage,
  RING_SLOTS,
  RingWriter,
  ringViews,
  STEP,
  senderStep,
} from './send-ring.js';

function setUp() {
  const v = ringViews(createRingBuffer());
  const writer = new RingWriter<string>(v);
  const sent: Array<[number, number]> = [];
  const waitOut = new Float64Array(1);
  /** One pass: 0 = sent one, the ms to wait, or Infinity when empty. */
  const step = (now: number) => {
    const r = senderStep(v, now, (packed) => sent.push([packed, now]), waitOut);
    return r === STEP.sent ? 0 : r === STEP.wait ? (waitOut[0] as number) : Number.POSITIVE_INFINITY;
  };
  return { v, writer, sent, step };
}

describe('the sending ring', () => {
  it('packs the three bytes of a channel message', () => {
    expect(packMessage(noteOn(2, 60, 100))).toBe(0x92 | (60 << 8) | (100 << 16));
    expect(packMessage(noteOff(0, 61))).toBe(0x80 | (61 << 8));
    expect(packMessage({ type: 'cc', channel: 15, controller: 123, value: 0 })).toBe(0xbf | (123 << 8));
  });

  it('sends each message at (never before) its due time, in order, and reports when it left', () => {
    const { writer, sent, step } = setUp();
    writer.write(1, 100, 'a');
    writer.write(2, 100, 'b');
    writer.write(3, 150, 'c');
    expect(step(40)).toBe(60); // nothing due yet: sleep 60 ms
    expect(sent).toEqual([]);
    expect(step(100.2)).toBe(0);
    expect(step(100.3)).toBe(0);
    expect(step(100.4)).toBeCloseTo(49.6, 6);
    expect(sent).toEqual([
      [1, 100.2],
      [2, 100.3],
    ]);
    expect(writer.collect()).toEqual([
      { item: 'a', dueMs: 100, sentMs: 100.2 },
      { item: 'b', dueMs: 100, sentMs: 100.3 },
    ]);
    expect(step(151)).toBe(0);
    expect(step(152)).toBe(Number.POSITIVE_INFINITY);
    expect(writer.collect()).toEqual([{ item: 'c', dueMs: 150, sentMs: 151 }]);
  });

  it('a cancel drops what was written and not sent; messages written after it still go', () => {
    const { writer, sent, step } = setUp();
    writer.write(1, 10, 'sent');
    writer.write(2, 500, 'dropped 1');
    writer.write(3, 600, 'dropped 2');
    step(10);
    const ticket = writer.askCancel();
    expect(writer.cancelDone(ticket)).toBe(false);
    writer.write(4, 20, 'after the cancel');
    expect(step(20)).toBe(0);
    expect(writer.cancelDone(ticket)).toBe(true);
    expect(sent.map(([packed]) => packed)).toEqual([1, 4]);
    expect(writer.collect().map((r) => [r.item, r.sentMs])).toEqual([
      ['sent', 10],
      ['dropped 1', null],
      ['dropped 2', null],
      ['after the cancel', 20],
    ]);
  });

  it('refuses to overwrite messages the bridge has not collected, and a failing send is flagged', () => {
    const { v, writer, step } = setUp();
    for (let i = 0; i < RING_SLOTS; i++) expect(writer.write(i, 0, `m${i}`)).toBe(true);
    expect(writer.write(0, 0, 'one too many')).toBe(false);
    senderStep(
      v,
      0,
      () => {
        throw new Error('port gone');
      },
      new Float64Array(1),
    );
    expect(Atomics.load(v.ctrl, CTRL.failed)).toBe(1);
    step(0);
    expect(writer.collect().length).toBe(2);
    expect(writer.write(0, 0, 'room again')).toBe(true);
  });

  it('with aheadMs, hands each message over that far ahead with its due time, and retries one not taken', () => {
    const v = ringViews(createRingBuffer());
    const writer = new RingWriter<string>(v);
    const handed: Array<[number, number, number]> = [];
    const waitOut = new Float64Array(1);
    let full = false;
    const step = (now: number) =>
      senderStep(
        v,
        now,
        (packed, due) => {
          if (full) return false;
          handed.push([packed, due, now]);
          return true;
        },
        waitOut,
        20,
      );
    writer.write(1, 100, 'a');
    writer.write(2, 130, 'b');
    expect(step(70)).toBe(STEP.wait);
    expect(waitOut[0]).toBe(10);
    expect(step(80)).toBe(STEP.sent);
    full = true;
    expect(step(111)).toBe(STEP.wait); // not taken: the message stays, looked at again in 1 ms
    expect(waitOut[0]).toBe(1);
    full = false;
    expect(step(135)).toBe(STEP.sent); // handed over late: it left when handed over
    expect(handed).toEqual([
      [1, 100, 80],
      [2, 130, 135],
    ]);
    expect(writer.collect()).toEqual([
      { item: 'a', dueMs: 100, sentMs: 100 },
      { item: 'b', dueMs: 130, sentMs: 135 },
    ]);
  });
});
