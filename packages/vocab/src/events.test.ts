import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { presets } from './config.js';
import { VocabError } from './errors.js';
import { decodeEvents, encodeEvents, type VocabEvent } from './events.js';
import { createVocab } from './vocab.js';

const vocabs = [
  createVocab(),
  createVocab(presets['performance-rnn']),
  createVocab({ minPitch: 21, maxPitch: 108 }),
];

function eventArb(v: (typeof vocabs)[number]): fc.Arbitrary<VocabEvent> {
  const { minPitch, maxPitch, maxShiftSteps, velocityBins } = v.config;
  return fc.oneof(
    fc.integer({ min: minPitch, max: maxPitch }).map((value) => ({ kind: 'note_on' as const, value })),
    fc.integer({ min: minPitch, max: maxPitch }).map((value) => ({ kind: 'note_off' as const, value })),
    fc.integer({ min: 1, max: maxShiftSteps }).map((value) => ({ kind: 'time_shift' as const, value })),
    fc.integer({ min: 0, max: velocityBins - 1 }).map((value) => ({ kind: 'velocity' as const, value })),
    fc.constantFrom('pad' as const, 'start' as const, 'end' as const).map((kind) => ({ kind, value: 0 })),
  );
}

describe('event <-> id round trip', () => {
  it('decodeEvents(encodeEvents(events)) === events for random streams, all presets', () => {
    for (const v of vocabs) {
      fc.assert(
        fc.property(fc.array(eventArb(v), { maxLength: 300 }), (events) => {
          expect(decodeEvents(encodeEvents(events, v), v)).toEqual(events);
        }),
        { numRuns: 150 },
      );
    }
  });

  it('encodeEvents(decodeEvents(ids)) === ids for random valid ids', () => {
    const v = vocabs[0]!;
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: v.size - 1 }), { maxLength: 300 }), (ids) => {
        expect(Array.from(encodeEvents(decodeEvents(ids, v), v))).toEqual(ids);
      }),
    );
  });

  it('names the offending event or id', () => {
    const v = vocabs[0]!;
    expect(() =>
      encodeEvents(
        [
          { kind: 'time_shift', value: 1 },
          { kind: 'time_shift', value: 126 },
        ],
        v,
      ),
    ).toThrow(/event 1 .*time shift steps must be an integer in \[1, 125\], got 126/);
    expect(() => decodeEvents([5, 416], v)).toThrow(VocabError);
  });
});
