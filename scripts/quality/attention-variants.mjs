// @ts-check
/**
 * The two arms of the paper's central comparison (Huang et al. 2018, Table 3), trained with the same
 * hparams, data, seed and steps: `relative` = relative attention (max_rel_dist > 0) and no absolute
 * positions; `absolute` = the Vaswani baseline, max_rel_dist 0 with sinusoidal absolute positions.
 */
import { join } from 'node:path';

/**
 * @typedef {object} Variant
 * @property {'relative' | 'absolute'} name also the run name under the log directory
 * @property {number} maxRelDist
 * @property {number} maxAbsPosition
 */

/**
 * @param {number} maxRelDist for the relative arm (> 0)
 * @param {number} maxAbsPosition for the baseline (>= the dataset's row length)
 * @returns {Variant[]}
 */
export const attentionVariants = (maxRelDist, maxAbsPosition) => [
  { name: 'relative', maxRelDist, maxAbsPosition: 0 },
  { name: 'absolute', maxRelDist: 0, maxAbsPosition },
];

/**
 * Arguments of `mt train` for one arm (signature: `mt train <data> <checkpoint> <save-path>
 * <epochs>` with the original's `-mrd`/`-map` flags), writing everything under `<out>/`.
 * @param {Variant} variant
 * @param {{ data: string, out: string, epochs: number, seed: number, maxSteps: number | null,
 *   force: boolean, extra: string[] }} options
 * @returns {string[]}
 */
export function trainArgs(variant, { data, out, epochs, seed, maxSteps, force, extra }) {
  const dir = join(out, variant.name);
  return [
    'train',
    data,
    join(dir, 'checkpoint.safetensors'),
    join(dir, 'model.safetensors'),
    String(epochs),
    '-mrd',
    String(variant.maxRelDist),
    '-map',
    String(variant.maxAbsPosition),
    '--seed',
    String(seed),
    '--logdir',
    join(out, 'runs'),
    '--name',
    variant.name,
    // The trainer validates at epoch ends and every --validate-every steps; a run cut by --max-steps
    // must still end on a validation pass, or there is no held-out figure to compare.
    ...(maxSteps === null ? [] : ['--max-steps', String(maxSteps), '--validate-every', String(maxSteps)]),
    ...(force ? ['--force'] : []),
    ...extra,
  ];
}

/** Where `mt train --logdir <out>/runs --name <variant>` writes its metrics. */
export const metricsPath = (/** @type {string} */ out, /** @type {Variant} */ variant) =>
  join(out, 'runs', variant.name, 'metrics.jsonl');
