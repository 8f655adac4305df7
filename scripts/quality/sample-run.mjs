// @ts-check
/**
 * Generation of raw token streams for the output checks (see sample-tokens.mjs for the command).
 * Uses the model package's cached generator directly: it works on plain Float32Arrays, so no TF.js
 * backend is needed.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createGenerator, readModelFile } from '@music-transformer/model';
import { createVocab } from '@music-transformer/vocab';
import { QualityError } from './errors.mjs';

/**
 * Writes `<out>/sample-NN.json` = `{ tokens, stopReason, seconds, seed, closed, tail }`; `tokens` starts
 * with `<start>` and ends with `<end>` when the model stopped by itself. At a limit the generator
 * releases the notes still sounding (not sampled): `tail` is the number of those last ids, `closed` the
 * note-offs among them.
 * @param {object} options
 * @param {string} options.modelPath a model .safetensors (saveModel format)
 * @param {string} options.out
 * @param {number} options.count
 * @param {number} options.maxTokens
 * @param {number} options.seed sample i uses seed + i
 * @param {{ temperature?: number, topK?: number, topP?: number }} options.sampling
 * @param {{ grammar?: boolean, closeNotes?: boolean, minTokens?: number, endingRamp?: false }} [options.rules]
 *   the generator's defaults when absent: grammar on, notes released at a limit, no minimum length, the
 *   ending ramp on
 * @param {(line: string) => void} options.log
 * @returns {Promise<string[]>} the files written
 */
export async function writeSamples({ modelPath, out, count, maxTokens, seed, sampling, rules = {}, log }) {
  const bytes = new Uint8Array(
    await readFile(modelPath).catch((cause) => {
      throw new QualityError('BAD_INPUT', `${modelPath}: cannot read the model file`, { cause });
    }),
  );
  let file;
  try {
    file = readModelFile(bytes, { fileName: modelPath });
  } catch (cause) {
    throw new QualityError('BAD_INPUT', cause instanceof Error ? cause.message : String(cause), { cause });
  }
  // The model file records its vocab config; without one the vocab package's default (seed) applies.
  const vocab = createVocab(file.vocab ?? undefined);
  const generator = createGenerator(
    { hparams: file.hparams, weights: Object.fromEntries(file.weights) },
    { vocab },
  );
  await mkdir(out, { recursive: true });
  /** @type {string[]} */
  const written = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const r = generator.generate({ maxTokens, seed: seed + i, ...sampling, ...rules });
    const tokens = r.stopReason === 'end' ? [...r.tokens, vocab.end] : r.tokens;
    const name = join(out, `sample-${String(i).padStart(2, '0')}.json`);
    await writeFile(
      name,
      `${JSON.stringify({ tokens, stopReason: r.stopReason, seconds: r.seconds, seed: seed + i, closed: r.closed, tail: r.tail })}\n`,
    );
    written.push(name);
    const secs = ((performance.now() - started) / 1000).toFixed(1);
    log(
      `${name}: ${r.generated.length} tokens (${r.stopReason}, ${r.closed} notes closed), ${r.seconds.toFixed(1)} s of music, ${secs} s`,
    );
  }
  return written;
}
