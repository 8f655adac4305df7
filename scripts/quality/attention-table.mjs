// @ts-check
/** The comparison's result as JSON plus the Markdown table that goes into the model card. */
import { round4 } from './histogram.mjs';

/**
 * @param {{ variant: import('./attention-variants.mjs').Variant, metrics: import('./run-metrics.mjs').RunMetrics }[]} runs
 * @param {Record<string, unknown>} setup dataset, epochs, seed... echoed into the JSON
 */
export function attentionTable(runs, setup) {
  const rows = runs.map(({ variant, metrics }) => ({
    name: variant.name,
    max_rel_dist: variant.maxRelDist,
    max_abs_position: variant.maxAbsPosition,
    steps: metrics.steps,
    validation_step: metrics.validation.step,
    val_nll: round4(metrics.validation.val_loss),
    val_accuracy: round4(metrics.validation.val_accuracy),
    val_perplexity: round4(metrics.validation.val_perplexity),
    final_train_loss: round4(metrics.finalTrainLoss),
    train_seconds: Math.round(metrics.trainSeconds),
    status: metrics.status,
  }));
  const steps = new Set(rows.map((r) => r.steps));
  const rel = rows.find((r) => r.name === 'relative');
  const abs = rows.find((r) => r.name === 'absolute');
  const markdown = [
    '| attention | max_rel_dist | max_abs_position | steps | val NLL/token | val accuracy | train s |',
    '|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.max_rel_dist} | ${r.max_abs_position} | ${r.steps} | ${r.val_nll} | ${r.val_accuracy} | ${r.train_seconds} |`,
    ),
  ].join('\n');
  return {
    ...setup,
    runs: rows,
    equalSteps: steps.size === 1,
    // Positive: relative attention has the lower (better) validation NLL, as in the paper (1.861 -> 1.835).
    nllAbsoluteMinusRelative:
      rel?.val_nll != null && abs?.val_nll != null ? round4(abs.val_nll - rel.val_nll) : null,
    markdown,
  };
}
