import { join } from 'node:path';
import { createGenerator, parseHParams } from '@music-transformer/model';
import { createVocab, tokensToMidi } from '@music-transformer/vocab';
import { writeFileAtomic } from './atomic-write.js';
import { mixSeed } from './seeds.js';

export interface SampleSettings {
  tokens: number;
  temperature: number;
  seed: number;
}

/**
 * Generates one continuation of `<start>` with the current weights and writes it as
 * `samples/step-<n>.mid`, so the dashboard can play how the model sounds as training goes. Runs on plain
 * Float32Arrays (the model package's generator), so it needs no TF.js backend and does not touch the
 * engine. The sampling seed derives from the run seed and the step: the same run gives the same samples.
 */
export function writeSample(
  samplesDir: string,
  step: number,
  hparams: Record<string, unknown>,
  weights: Record<string, Float32Array>,
  vocabConfig: Record<string, unknown>,
  s: SampleSettings,
): string {
  const vocab = createVocab(vocabConfig);
  const generator = createGenerator({ hparams: parseHParams(hparams), weights }, { vocab });
  const result = generator.generate({
    maxTokens: s.tokens,
    temperature: s.temperature,
    seed: mixSeed(s.seed, step, 0x5a3),
  });
  const path = join(samplesDir, `step-${step}.mid`);
  writeFileAtomic(path, tokensToMidi(result.tokens, { vocab, name: `step ${step}` }));
  return path;
}
