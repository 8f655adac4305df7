import { describe, expect, it } from 'vitest';
import { GenerationFeed } from './generation-feed.js';
import { ManualGenerator } from './test-utils/manual-generator.js';
import { pulseLoop } from './test-utils/scripted-source.js';
import { seedLayoutCodec as codec } from './test-utils/seed-codec.js';
import { TokenDecoder } from './token-decoder.js';

function feed(endFinishesPhrase: boolean) {
  const generator = new ManualGenerator();
  const decoder = new TokenDecoder(codec, {
    maxNoteMs: 5000,
    density: 1,
    rng: { next: () => 0.5 },
    defaultVelocity: 64,
  });
  return { generator, feed: new GenerationFeed(generator, codec, decoder, endFinishesPhrase) };
}

describe('GenerationFeed', () => {
  it('decodes the current reset only, and keeps two batches requested while the buffer is short', () => {
    const { generator, feed: f } = feed(false);
    f.begin([414], null, false);
    f.refill(0, 2000);
    expect(generator.owed).toBe(16);
    f.refill(0, 2000);
    expect(generator.owed).toBe(16); // already in flight
    expect(f.take(pulseLoop([60]), generator.epoch - 1)).toBeNull();
    expect(f.take(pulseLoop([60]), generator.epoch)?.map((e) => e.on)).toEqual([true, false]);
    expect(f.musicMs).toBe(512);
    f.refill(2000, 2000);
    expect(generator.owed).toBe(16);
  });

  it('after <end>, starts a fresh piece in generate mode and ends the answer in call-response', () => {
    const free = feed(false);
    free.feed.begin([414], null, false);
    free.feed.take([...pulseLoop([60]), 415, ...pulseLoop([62])], free.generator.epoch);
    expect(free.generator.primers).toEqual([[414], [414]]);
    expect(free.feed.isDone).toBe(false);

    const answer = feed(true);
    answer.feed.begin([414], 2000, true);
    answer.feed.take([...pulseLoop([60]), 415], answer.generator.epoch);
    expect(answer.generator.primers).toEqual([[414]]);
    expect(answer.feed.isDone).toBe(true);
  });

  it('ends an answer at its length, closing the notes still sounding there', () => {
    const { generator, feed: f } = feed(true);
    f.begin([414], 200, false); // ends inside the note: it is closed at 256 ms, the end of the time shift
    const edges = f.take(pulseLoop([60, 62]), generator.epoch);
    expect(edges).toEqual([
      { musicMs: 0, on: true, pitch: 60, velocity: 80 },
      { musicMs: 256, on: false, pitch: 60, velocity: 0 },
    ]);
    expect(f.isDone).toBe(true);
    expect(f.hasEnd).toBe(true);
  });
});
