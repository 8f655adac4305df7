// @ts-check
/**
 * Runs both arms of the attention comparison one after the other (the machine has 2 shared cores,
 * so never in parallel) through the `mt` CLI and reads their validation figures from metrics.jsonl.
 */
import { spawn } from 'node:child_process';
import { attentionTable } from './attention-table.mjs';
import { attentionVariants, metricsPath, trainArgs } from './attention-variants.mjs';
import { QualityError } from './errors.mjs';
import { readRunMetrics } from './run-metrics.mjs';

/**
 * Runs a command with its output on our stderr (our stdout carries only the JSON result).
 * @param {string[]} command
 * @returns {Promise<void>}
 */
export function runToStderr(command) {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0], command.slice(1), { stdio: ['ignore', 2, 2] });
    child.on('error', (cause) =>
      reject(new QualityError('CLI_FAILED', `cannot start '${command[0]}': ${cause.message}`, { cause })),
    );
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else {
        const how = signal === null ? `exit status ${code}` : `signal ${signal}`;
        reject(new QualityError('CLI_FAILED', `\`${command.join(' ')}\` failed with ${how}`));
      }
    });
  });
}

/**
 * @param {object} options
 * @param {string[]} options.mt command that runs the CLI, e.g. ['node', 'packages/cli/dist/bin.js']
 * @param {string} options.data dataset made by `mt preprocess`
 * @param {string} options.out folder for both runs
 * @param {number} options.epochs
 * @param {number | null} options.maxSteps
 * @param {number} options.seed
 * @param {number} options.maxRelDist
 * @param {number} options.maxAbsPosition
 * @param {boolean} options.force
 * @param {string[]} options.extra further `mt train` flags for both arms (hparams, batch size...)
 * @param {(line: string) => void} options.log
 * @param {(command: string[]) => Promise<void>} [options.run] injected in tests
 */
export async function compareAttention(options) {
  const run = options.run ?? runToStderr;
  const runs = [];
  for (const variant of attentionVariants(options.maxRelDist, options.maxAbsPosition)) {
    const command = [...options.mt, ...trainArgs(variant, options)];
    options.log(`compare-attention: ${variant.name}: ${command.join(' ')}`);
    await run(command);
    runs.push({ variant, metrics: await readRunMetrics(metricsPath(options.out, variant)) });
  }
  return attentionTable(runs, {
    dataset: options.data,
    epochs: options.epochs,
    maxSteps: options.maxSteps,
    seed: options.seed,
    extraTrainFlags: options.extra,
  });
}
