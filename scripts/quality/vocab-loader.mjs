// @ts-check
/**
 * Loads @music-transformer/vocab (a workspace package: build it first) and picks the vocab the token
 * files were written with: a preset name (`seed`, `performance-rnn`) or a JSON file with a VocabConfig.
 */
import { readFile } from 'node:fs/promises';
import { QualityError } from './errors.mjs';

/**
 * @param {string} choice preset name or path to a .json VocabConfig
 * @returns {Promise<{ vocab: import('./token-analysis.mjs').VocabView, encodeMidi: import('./sample-stats.mjs').MidiEncoder }>}
 */
export async function loadVocab(choice) {
  /** @type {Record<string, any>} */
  let lib;
  try {
    lib = await import('@music-transformer/vocab');
  } catch (cause) {
    throw new QualityError(
      'BAD_INPUT',
      '@music-transformer/vocab is not built: run `pnpm --filter @music-transformer/vocab build` first',
      { cause },
    );
  }
  let config;
  if (choice.endsWith('.json')) {
    try {
      config = JSON.parse(await readFile(choice, 'utf8'));
    } catch (cause) {
      throw new QualityError('BAD_INPUT', `${choice}: not a readable JSON vocab config`, { cause });
    }
  } else {
    config = lib.presets[choice];
    if (config === undefined) {
      const known = Object.keys(lib.presets).join(', ');
      throw new QualityError(
        'BAD_ARGS',
        `--vocab: unknown preset '${choice}' (known: ${known}, or a .json file)`,
      );
    }
  }
  let vocab;
  try {
    vocab = lib.createVocab(config);
  } catch (cause) {
    throw new QualityError(
      'BAD_INPUT',
      `--vocab ${choice}: ${cause instanceof Error ? cause.message : cause}`,
      {
        cause,
      },
    );
  }
  /** @type {import('./sample-stats.mjs').MidiEncoder} */
  const encodeMidi = (bytes, fileName) => {
    try {
      return lib.midiToTokens(bytes, { fileName, vocab }).tokens;
    } catch (cause) {
      throw new QualityError('BAD_INPUT', cause instanceof Error ? cause.message : `${fileName}: ${cause}`, {
        cause,
      });
    }
  };
  return { vocab, encodeMidi };
}
