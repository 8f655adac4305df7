import { z } from 'zod';
import { ModelError } from './errors.js';

/**
 * Architecture hyperparameters, with the original project's names (hparams.py) so that its checkpoints
 * convert one to one. Optimiser and data settings belong to the trainer.
 */
export const HParamsSchema = z
  .object({
    d_model: z.number().int().positive().default(128),
    num_layers: z.number().int().positive().default(3),
    num_heads: z.number().int().positive().default(8),
    d_ff: z.number().int().positive().default(512),
    /** Rows of the relative embedding E; 0 = plain attention (the original crashes there). */
    max_rel_dist: z.number().int().nonnegative().default(1024),
    /** Length of the sinusoidal absolute position table; 0 = none (the original's default). */
    max_abs_position: z.number().int().nonnegative().default(0),
    vocab_size: z.number().int().min(2).default(416),
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
  });

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
