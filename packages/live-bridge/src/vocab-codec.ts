import type { Vocab } from '@music-transformer/vocab';
import type { TokenCodec, TokenMeaning } from './codec.js';

/**
 * Adapts a `Vocab` from @music-transformer/vocab to the bridge's codec. Meanings are tabulated once,
 * so decoding on the scheduling thread is an array lookup.
 */
export function codecFromVocab(vocab: Vocab): TokenCodec {
  const table: TokenMeaning[] = new Array(vocab.size);
  for (let id = 0; id < vocab.size; id++) {
    const value = vocab.valueOf(id);
    switch (vocab.kindOf(id)) {
      case 'note_on':
        table[id] = { kind: 'note_on', pitch: value };
        break;
      case 'note_off':
        table[id] = { kind: 'note_off', pitch: value };
        break;
      case 'time_shift':
        table[id] = { kind: 'time_shift', ms: value * vocab.stepMs };
        break;
      case 'velocity':
        table[id] = { kind: 'velocity', velocity: vocab.velocityOfBin(value) };
        break;
      case 'end':
        table[id] = { kind: 'end' };
        break;
      default:
        table[id] = { kind: 'none' };
    }
  }
  const maxSteps = vocab.ranges.time_shift.count;
  return {
    size: vocab.size,
    minPitch: vocab.config.minPitch,
    maxPitch: vocab.config.maxPitch,
    start: vocab.start,
    decode(id) {
      const meaning = table[id];
      if (meaning === undefined) throw new RangeError(`token id ${id} is not in [0, ${vocab.size})`);
      return meaning;
    },
    noteOn: (pitch) => vocab.noteOn(pitch),
    noteOff: (pitch) => vocab.noteOff(pitch),
    velocity: (velocity) =>
      vocab.velocity(vocab.binOfVelocity(Math.min(127, Math.max(1, Math.round(velocity))))),
    timeShift(ms) {
      const out: number[] = [];
      let steps = Math.round(ms / vocab.stepMs);
      while (steps > 0) {
        const k = Math.min(maxSteps, steps);
        out.push(vocab.timeShift(k));
        steps -= k;
      }
      return out;
    },
  };
}
