import { createVocab, presets, type Vocab } from '@music-transformer/vocab';

/**
 * The vocabulary a model was trained with, chosen as `mt generate` chooses it: the one stored in the file,
 * else the preset whose size matches the weights (files converted from the original project store none).
 */
export function vocabForModel(stored: unknown, vocabSize: number, fileName: string): Vocab {
  if (stored !== undefined && stored !== null) {
    const vocab = createVocab(stored);
    if (vocab.size !== vocabSize) {
      throw new Error(
        `${fileName}: vocabulary mismatch: its vocab '${vocab.config.name}' has ${vocab.size} ids but the weights have vocab_size ${vocabSize}`,
      );
    }
    return vocab;
  }
  for (const preset of Object.values(presets)) {
    const vocab = createVocab(preset);
    if (vocab.size === vocabSize) return vocab;
  }
  throw new Error(
    `${fileName}: vocab_size ${vocabSize} matches no known vocabulary and the file stores none`,
  );
}
