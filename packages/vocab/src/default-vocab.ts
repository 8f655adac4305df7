import { createVocab, type Vocab } from './vocab.js';

let cached: Vocab | undefined;

/** The `seed` vocab, built once: functions whose `vocab` option is omitted use it. */
export function defaultVocab(): Vocab {
  cached ??= createVocab();
  return cached;
}
