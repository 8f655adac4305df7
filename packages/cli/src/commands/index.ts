import type { CommandModule } from '../program.js';
import { registerDashboard } from './dashboard.js';
import { DETOKENIZE_LEGACY_FLAGS, registerDetokenize } from './detokenize.js';
import { EVALUATE_LEGACY_FLAGS, registerEvaluate } from './evaluate.js';
import { registerExport } from './export.js';
import { GENERATE_LEGACY_FLAGS, registerGenerate } from './generate.js';
import { IMPORT_LEGACY_FLAGS, registerImport } from './import.js';
import { registerInfo } from './info.js';
import { registerLive } from './live.js';
import { registerPlay } from './play.js';
import { registerPreprocess } from './preprocess.js';
import { registerTokenize } from './tokenize.js';
import { registerTrain, TRAIN_LEGACY_FLAGS } from './train.js';

/** Every subcommand, in the order `mt --help` lists them. */
export const COMMANDS: readonly CommandModule[] = [
  { register: registerPreprocess },
  { register: registerTrain, legacyFlags: { train: TRAIN_LEGACY_FLAGS } },
  { register: registerGenerate, legacyFlags: { generate: GENERATE_LEGACY_FLAGS } },
  { register: registerEvaluate, legacyFlags: { evaluate: EVALUATE_LEGACY_FLAGS } },
  { register: registerInfo },
  { register: registerImport, legacyFlags: { import: IMPORT_LEGACY_FLAGS } },
  { register: registerExport },
  { register: registerTokenize },
  { register: registerDetokenize, legacyFlags: { detokenize: DETOKENIZE_LEGACY_FLAGS } },
  { register: registerLive },
  { register: registerDashboard },
  { register: registerPlay },
];
