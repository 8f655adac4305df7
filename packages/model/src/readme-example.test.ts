import { expect, it } from 'vitest';
import { createTrainingEngine, hparamPresets, loadModel, MusicTransformer, saveModel } from './index.js';

// The README's example, verbatim between the markers.
it('README example: train a tiny model, save it, load it back', async () => {
  // --- example start
  const hparams = { ...hparamPresets.tiny, dropout: 0 };
  const engine = await createTrainingEngine({ hparams, seed: 1, workers: 1, backend: 'wasm' });
  const ids = Int32Array.from({ length: 2 * 33 }, (_, i) => 1 + ((i * 37) % 413)); // 2 rows of 33 ids
  let loss = Number.POSITIVE_INFINITY;
  for (let step = 1; step <= 150 && loss > 0.05; step++) {
    ({ loss } = await engine.step([{ ids, batch: 2, len: 33 }], { lr: 3e-3, dropoutSeed: step }));
  }
  const { weights } = await engine.getState();
  const bytes = saveModel(MusicTransformer.fromWeights(hparams, weights), { vocab: '{"preset":"seed"}' });
  const model = loadModel(bytes, { vocabSize: 416 }); // refuses a file made for another vocabulary
  await engine.dispose();
  // --- example end
  expect(loss).toBeLessThan(0.05);
  expect(model.weights()['final.bias']).toEqual(weights['final.bias']);
  model.dispose();
});
