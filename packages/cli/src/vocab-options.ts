import { createVocab, presets, type SustainMode, type Vocab } from '@music-transformer/vocab';
import { type Command, Option } from 'commander';

/** `--preset` and `--sustain`, shared by every command that reads MIDI without a model to ask. */
export type VocabPresetName = keyof typeof presets;
export const VOCAB_PRESETS = Object.keys(presets) as VocabPresetName[];

export interface VocabFlags {
  preset?: VocabPresetName;
  sustain?: SustainMode;
}

export function addVocabOptions(command: Command): Command {
  return command
    .addOption(new Option('--preset <name>', 'token vocabulary').choices(VOCAB_PRESETS).default('seed'))
    .addOption(
      new Option('--sustain <mode>', 'sustain pedal: extend held notes, or ignore the pedal').choices([
        'extend',
        'ignore',
      ]),
    );
}

export function vocabFromFlags(flags: VocabFlags): Vocab {
  const base = presets[flags.preset ?? 'seed'];
  return createVocab(flags.sustain === undefined ? base : { ...base, sustain: flags.sustain });
}
