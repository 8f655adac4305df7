import { basename } from 'node:path';
import { midiToTokens } from '@music-transformer/vocab';
import { type CliEnv, type CommonFlags, outputFor } from '../command-kit.js';
import { readMidi } from '../files.js';
import { type MidiLimitFlags, midiLimitsFromFlags, withLimitHint } from '../midi-limits-option.js';
import { formatTokens } from '../token-text.js';
import { type VocabFlags, vocabFromFlags } from '../vocab-options.js';

export interface TokenizeFlags extends CommonFlags, VocabFlags, MidiLimitFlags {
  as: 'names' | 'ids';
  drums?: boolean;
  startEnd?: boolean;
}

/** `mt tokenize`'s work, apart from its flag declarations so that tests can call it directly. */
export async function runTokenize(file: string, flags: TokenizeFlags, env: CliEnv): Promise<void> {
  const output = outputFor(env, flags);
  const vocab = vocabFromFlags(flags);
  const bytes = await readMidi(file);
  const result = withLimitHint(() =>
    midiToTokens(bytes, {
      fileName: basename(file),
      vocab,
      includeDrums: flags.drums === true,
      limits: midiLimitsFromFlags(flags),
    }),
  );
  const tokens = flags.startEnd
    ? Uint16Array.from([vocab.start, ...result.tokens, vocab.end])
    : result.tokens;
  if (flags.json) {
    output.result(
      {
        file,
        vocab: vocab.config,
        tokens,
        names: Array.from(tokens, (id) => vocab.name(id)),
        report: result.report,
      },
      () => [],
    );
    return;
  }
  output.data(formatTokens(tokens, vocab, flags.as));
  output.note(
    `${file}: ${tokens.length} tokens, ${result.report.notesEncoded} notes (vocab '${vocab.config.name}')`,
  );
}
