// @ts-check
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { hparamPresets, initBackend, MusicTransformer, saveModel } from '@music-transformer/model';
import { presets } from '@music-transformer/vocab';
import { QualityError } from './errors.mjs';
import { writeSamples } from './sample-run.mjs';
import { seedLikeVocab } from './test-vocab.mjs';
import { analyseTokens } from './token-analysis.mjs';

describe('writeSamples (tiny random model)', () => {
  /** @type {string} */
  let dir;
  /** @type {string} */
  let modelPath;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'samples-test-'));
    await initBackend('cpu');
    const model = MusicTransformer.create(hparamPresets.tiny, 7);
    modelPath = join(dir, 'tiny.safetensors');
    await writeFile(modelPath, saveModel(model, { vocab: JSON.stringify(presets.seed) }));
    model.dispose();
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes seeded, reproducible token streams that start with <start>', async () => {
    const options = {
      modelPath,
      count: 2,
      maxTokens: 24,
      seed: 5,
      sampling: { temperature: 1 },
      log: () => {},
    };
    const first = await writeSamples({ ...options, out: join(dir, 'a') });
    const second = await writeSamples({ ...options, out: join(dir, 'b') });
    assert.equal(first.length, 2);
    for (let i = 0; i < 2; i++) {
      const text = await readFile(first[i], 'utf8');
      assert.equal(await readFile(second[i], 'utf8'), text);
      const sample = JSON.parse(text);
      assert.equal(sample.seed, 5 + i);
      assert.equal(sample.tokens[0], seedLikeVocab.start);
      // Sampled tokens: the release tail at a limit (`tail` ids, `closed` note-offs) is not sampled.
      const generated = sample.tokens.length - 1 - (sample.stopReason === 'end' ? 1 : 0) - sample.tail;
      assert.ok(generated <= 24, `sample ${i} has ${generated} generated tokens`);
      if (sample.stopReason === 'end') assert.equal(sample.tokens.at(-1), seedLikeVocab.end);
      // The stream is analysable as is (every id inside the vocab).
      assert.equal(analyseTokens(sample.tokens, seedLikeVocab, first[i]).tokens, sample.tokens.length);
    }
  });

  it('with the generator defaults and minTokens = maxTokens, writes well-formed streams of that length', async () => {
    const files = await writeSamples({
      modelPath,
      out: join(dir, 'c'),
      count: 3,
      maxTokens: 40,
      seed: 2,
      sampling: {},
      rules: { minTokens: 40, endingRamp: false },
      log: () => {},
    });
    for (const file of files) {
      const sample = JSON.parse(await readFile(file, 'utf8'));
      assert.equal(sample.stopReason, 'maxTokens');
      // A token limit prefers to stop on a time shift in its last 2 % (here the 40th token or the 39th).
      const sampled = sample.tokens.length - 1 - sample.tail;
      assert.ok(sampled === 39 || sampled === 40, `sampled ${sampled}`);
      const s = analyseTokens(sample.tokens, seedLikeVocab, file);
      assert.deepEqual([s.noteOffWithoutNoteOn, s.noteOnWhileSounding, s.openAtEnd], [0, 0, 0]);
    }
  });

  it('names a model file that cannot be read', async () => {
    await assert.rejects(
      writeSamples({
        modelPath: join(dir, 'missing.safetensors'),
        out: dir,
        count: 1,
        maxTokens: 1,
        seed: 1,
        sampling: {},
        log: () => {},
      }),
      (e) =>
        e instanceof QualityError &&
        e.code === 'BAD_INPUT' &&
        /missing\.safetensors: cannot read/.test(e.message),
    );
  });
});
