import type { CommonFlags } from '../command-kit.js';
import type { SamplingFlags } from '../sampling-options.js';

/** `mt generate`'s options as commander parses them (defaults filled in). */
export interface GenerateOptions extends CommonFlags, SamplingFlags {
  mode: 'categorical' | 'argmax';
  tempo: number;
  primer?: string;
  primerTokens?: number;
  maxTokens?: number;
  maxSeconds?: number;
  grammar: boolean;
  closeNotes: boolean;
  continuationOnly?: boolean;
  count: number;
  force?: boolean;
  backend: GenerateBackend;
}

/**
 * Generation decodes one sequence on the model package's own kernels over typed arrays (no TF.js op in the
 * loop), so its backends are those kernels: `wasm` = WebAssembly SIMD, `cpu` = plain JavaScript.
 */
export const GENERATE_BACKENDS = ['auto', 'wasm', 'cpu'] as const;
export type GenerateBackend = (typeof GENERATE_BACKENDS)[number];
export const KERNELS_OF = { auto: 'auto', wasm: 'simd', cpu: 'js' } as const;
