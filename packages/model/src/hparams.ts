import { z } from 'zod';
import { ModelError } from './errors.js';

/**
 * Upper bounds of the hyperparameters. They sit far above any model this project can train or run
 * (the paper preset is 6 layers of 512), and they exist so that a file's header claiming, say, a million
 * layers is refused in microseconds instead of building a model or a parameter list first.
 */
export const HPARAM_BOUNDS = {
  d_model: 16384,
  num_layers: 256,
  num_heads: 256,
  d_ff: 65536,
  max_rel_dist: 65536,
  max_abs_position: 65536,
  /** Token ids are stored as U16. */
  vocab_size: 65536,
  /** 4 GB of F32 weights: more than a wasm heap holds. */
  parameters: 1_000_000_000,
} as const;

/**
 * Architecture hyperparameters, with the original project's names (hparams.py) so that its checkpoints
 * convert one to one. Optimiser and data settings belong to the trainer.
 */
export const HParamsSchema = z
  .object({
    d_model: z.number().int().positive().max(HPARAM_BOUNDS.d_model).default(128),
    num_layers: z.number().int().positive().max(HPARAM_BOUNDS.num_layers).default(3),
    num_heads: z.number().int().positive().max(HPARAM_BOUNDS.num_heads).default(8),
    d_ff: z.number().int().positive().max(HPARAM_BOUNDS.d_ff).default(512),
    /** Rows of the relative embedding E; 0 = plain attention (the original crashes there). */
    max_rel_dist: z.number().int().nonnegative().max(HPARAM_BOUNDS.max_rel_dist).default(1024),
    /** Length of the sinusoidal absolute position table; 0 = none (the original's default). */
    max_abs_position: z.number().int().nonnegative().max(HPARAM_BOUNDS.max_abs_position).default(0),
    vocab_size: z.number().int().min(2).max(HPARAM_BOUNDS.vocab_size).default(416),
    /** false removes the bias of wq/wk/wv and the FFN linears; wo and final always keep theirs. */
    bias: z.boolean().default(true),
    dropout: z.number().min(0).lt(1).default(0.1),
    layernorm_eps: z.number().positive().default(1e-6),
    /** 'pre' as the original's code (default); 'post' as its README and the 2017 Transformer describe. */
    norm: z.enum(['post', 'pre']).default('pre'),
  })
  .strict()
  .superRefine((h, ctx) => {
    if (h.d_model % h.num_heads !== 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['d_model'],
        message: `d_model (${h.d_model}) must be divisible by num_heads (${h.num_heads})`,
      });
    }
    const params = countParameters(h);
    if (params > HPARAM_BOUNDS.parameters) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: `${params} parameters, above the limit of ${HPARAM_BOUNDS.parameters}`,
      });
    }
  });

/** Parameters of a model with these hparams, by arithmetic (the same sum as `paramSpecs`, without the list). */
export function countParameters(h: {
  d_model: number;
  num_layers: number;
  d_ff: number;
  max_rel_dist: number;
  vocab_size: number;
  bias: boolean;
}): number {
  const d = h.d_model;
  const b = h.bias ? 1 : 0;
  const perLayer =
    3 * (d * d + b * d) + // wq, wk, wv
    h.max_rel_dist * d + // E
    (d * d + d) + // wo
    (d * h.d_ff + b * h.d_ff) + // ffn.main.0
    (h.d_ff * d + b * d) + // ffn.main.2
    4 * d; // two layer norms
  return h.vocab_size * d + h.num_layers * perLayer + 2 * d + (d * h.vocab_size + h.vocab_size);
}

export type HParams = z.output<typeof HParamsSchema>;
export type HParamsInput = z.input<typeof HParamsSchema>;

/** Validates unknown input (JSON, CLI flags, checkpoint metadata) and fills defaults. */
export function parseHParams(input: unknown): HParams {
  const result = HParamsSchema.safeParse(input ?? {});
  if (!result.success) {
    const issues = result.error.issues
      .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`)
      .join('; ');
    throw new ModelError('BAD_HPARAMS', `invalid hparams: ${issues}`, { cause: result.error });
  }
  return result.data;
}

/**
 * default = the original's defaults (1,095,200 parameters); large = its hparams_large; paper = the
 * MAESTRO row of Huang et al. 2018 (6 layers, d 512, d_ff 2048); tiny = for tests and smoke runs.
 */
export const hparamPresets = {
  default: parseHParams({}),
  large: parseHParams({ d_model: 256, num_layers: 6, d_ff: 1024 }),
  paper: parseHParams({ d_model: 512, num_layers: 6, d_ff: 2048, max_rel_dist: 1024 }),
  tiny: parseHParams({ d_model: 32, num_layers: 2, num_heads: 4, d_ff: 64, max_rel_dist: 64 }),
} as const satisfies Record<string, HParams>;

export type HParamPresetName = keyof typeof hparamPresets;

/** The preset names, in declaration order (for command-line choices and schema enums). */
export const hparamPresetNames = Object.keys(hparamPresets) as [HParamPresetName, ...HParamPresetName[]];
