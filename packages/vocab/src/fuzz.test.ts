import { readFileSync } from 'node:fs';
import { MUTATION_KINDS, mutateMidi } from '@music-transformer/test-midi';
import { describe, expect, it } from 'vitest';
import { MidiParseError } from './errors.js';
import { midiToTokens } from './midi.js';
import { createRng, type Rng } from './rng.js';

const fixtures = ['freedoom1-e1m8.mid', 'satie-gymnopedie-no1.mid', 'bach-prelude-c-major-bwv846.mid'].map(
  (f) => new Uint8Array(readFileSync(new URL(`../test/fixtures/${f}`, import.meta.url))),
);

type Outcome = 'rejected' | 'accepted';

/** Feeds bytes to the reader: only MidiParseError may come out; anything else fails the test. */
function feed(bytes: Uint8Array, label: string): Outcome {
  try {
    const r = midiToTokens(bytes, { fileName: label });
    for (const id of r.tokens) if (id >= 416) throw new Error(`${label}: token ${id} out of range`);
    return 'accepted';
  } catch (e) {
    if (e instanceof MidiParseError && e.fileName === label && e.code === 'BAD_MIDI') return 'rejected';
    throw e;
  }
}

function randomBytes(rng: Rng, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.nextInt(256);
  return out;
}

function mutate(src: Uint8Array, rng: Rng): Uint8Array {
  const b = Uint8Array.from(src);
  const flips = 1 + rng.nextInt(8);
  for (let i = 0; i < flips; i++) b[rng.nextInt(b.length)] = rng.nextInt(256);
  return b;
}

describe('fuzz: 10,000 random and mutated byte strings', () => {
  it('never crashes: every input is either read or rejected with MidiParseError', () => {
    const rng = createRng(2026);
    const counts = { random: 0, header: 0, truncated: 0, mutated: 0, acceptedMutations: 0 };
    // 3,000 random strings: never MIDI, always rejected.
    for (let i = 0; i < 3000; i++) {
      expect(feed(randomBytes(rng, rng.nextInt(64)), `random-${i}.mid`)).toBe('rejected');
      counts.random++;
    }
    // 2,000 valid headers followed by random chunks: exercise the event parser; rejected or read.
    for (let i = 0; i < 2000; i++) {
      const body = randomBytes(rng, rng.nextInt(200));
      const head = Uint8Array.from([
        0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 1, 0, 1, 1, 0xe0, 0x4d, 0x54, 0x72, 0x6b,
      ]);
      const len = Uint8Array.from([0, 0, 0, rng.nextInt(2) ? body.length : rng.nextInt(256)]);
      feed(Uint8Array.from([...head, ...len, ...body]), `header-${i}.mid`);
      counts.header++;
    }
    // 2,500 truncations of real files: always rejected (a chunk or a declared track is missing).
    for (let i = 0; i < 2500; i++) {
      const src = fixtures[i % fixtures.length]!;
      expect(feed(src.subarray(0, rng.nextInt(src.length)), `truncated-${i}.mid`)).toBe('rejected');
      counts.truncated++;
    }
    // 2,500 real files with random bytes overwritten: rejected or read, never a crash.
    for (let i = 0; i < 2500; i++) {
      if (feed(mutate(fixtures[i % fixtures.length]!, rng), `mutated-${i}.mid`) === 'accepted')
        counts.acceptedMutations++;
      counts.mutated++;
    }
    expect(counts.random + counts.header + counts.truncated + counts.mutated).toBe(10000);
    // Most single-byte changes land in note data and still make a valid file; some must break it.
    expect(counts.acceptedMutations).toBeGreaterThan(0);
    expect(counts.acceptedMutations).toBeLessThan(2500);
  });
});

describe('fuzz: 2,000 hostile mutations of real files', () => {
  it('giant delta times, pile-ups, lying lengths, slow tempos: read within the limits or refused with MidiParseError', () => {
    const rng = createRng(7);
    const outcomes = new Map<string, { accepted: number; rejected: number }>();
    for (let i = 0; i < 2000; i++) {
      const { kind, bytes } = mutateMidi(fixtures[i % fixtures.length]!, rng);
      const o = outcomes.get(kind) ?? { accepted: 0, rejected: 0 };
      o[feed(bytes, `hostile-${i}.mid`)]++;
      outcomes.set(kind, o);
    }
    expect([...outcomes.keys()].sort()).toEqual([...MUTATION_KINDS].sort());
    // Claimed hours of silence at one tick per beat are always over the seconds limit.
    expect(outcomes.get('slow-tempo')!.accepted).toBe(0);
    expect(outcomes.get('giant-delta')!.rejected).toBeGreaterThan(0);
    // A pile-up of one pitch is valid MIDI: read, not refused.
    expect(outcomes.get('pileup')!.rejected).toBe(0);
  });
});
