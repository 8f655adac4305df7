// @ts-check
/**
 * Summary of a run's metrics.jsonl (contract: docs/architecture.md "Run directory"): the last train
 * step, the final validation figures (the trainer's full pass over the held-out rows, mean NLL per
 * non-pad target token, no label smoothing) and the last status. Unknown record types are ignored and
 * a torn last line (a writer mid-append) is skipped, as the contract asks of readers.
 */
import { readFile } from 'node:fs/promises';
import { QualityError } from './errors.mjs';

/**
 * @typedef {object} RunMetrics
 * @property {number} steps last optimizer step logged by a `train` record
 * @property {number} epoch epoch of that record
 * @property {number} trainSeconds `elapsed_s` of that record
 * @property {number} finalTrainLoss `loss` of that record
 * @property {{ step: number, val_loss: number, val_accuracy: number, val_perplexity: number }} validation last one
 * @property {string | null} status last `status` record's status
 */

/**
 * @param {string} text contents of metrics.jsonl
 * @param {string} fileName named in errors
 * @returns {RunMetrics}
 */
export function summariseMetrics(text, fileName) {
  const lines = text.split('\n');
  /** @type {Record<string, unknown> | null} */
  let train = null;
  /** @type {Record<string, unknown> | null} */
  let validation = null;
  /** @type {string | null} */
  let status = null;
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let record;
    try {
      record = JSON.parse(line);
    } catch (cause) {
      if (i === lines.length - 1) return; // torn tail: no newline yet
      throw new QualityError('BAD_INPUT', `${fileName}:${i + 1}: not JSON`, { cause });
    }
    if (record?.v !== 1) return;
    if (record.type === 'train') train = record;
    else if (record.type === 'validation') validation = record;
    else if (record.type === 'status' && typeof record.status === 'string') status = record.status;
  });
  if (train === null) throw new QualityError('BAD_INPUT', `${fileName}: no train record`);
  if (validation === null) throw new QualityError('BAD_INPUT', `${fileName}: no validation record`);
  const num = (/** @type {Record<string, unknown>} */ r, /** @type {string} */ key) => {
    const x = r[key];
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw new QualityError(
        'BAD_INPUT',
        `${fileName}: ${r.type} record field '${key}' is ${JSON.stringify(x)}`,
      );
    }
    return x;
  };
  return {
    steps: num(train, 'step'),
    epoch: num(train, 'epoch'),
    trainSeconds: num(train, 'elapsed_s'),
    finalTrainLoss: num(train, 'loss'),
    validation: {
      step: num(validation, 'step'),
      val_loss: num(validation, 'val_loss'),
      val_accuracy: num(validation, 'val_accuracy'),
      val_perplexity: num(validation, 'val_perplexity'),
    },
    status,
  };
}

/** @param {string} path */
export async function readRunMetrics(path) {
  const text = await readFile(path, 'utf8').catch((cause) => {
    throw new QualityError('BAD_INPUT', `${path}: cannot read the run's metrics`, { cause });
  });
  return summariseMetrics(text, path);
}
