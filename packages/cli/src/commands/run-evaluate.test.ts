import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError } from '../errors.js';
import type { InterruptSource } from '../interrupt.js';
import { captureIo } from '../test-utils/capture-io.js';
import { SATIE } from '../test-utils/fixtures.js';
import { trainTinyModel } from '../test-utils/tiny-model.js';
import type { EvaluateOptions } from './evaluate-options.js';
import { runEvaluate } from './run-evaluate.js';

const root = mkdtempSync(join(tmpdir(), 'mt-cli-run-evaluate-'));
let model = '';
let data = '';
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A real (barely trained) tiny model and the dataset it was trained on. */
beforeAll(async () => {
  ({ model, data } = await trainTinyModel(root));
}, 120_000);

const options = (extra: Partial<EvaluateOptions> = {}): EvaluateOptions => ({
  split: 'all',
  batchSize: 2,
  backend: 'auto',
  json: true,
  ...extra,
});

/** Ctrl-C arriving while batch number `after` is scored: the loop sees it at its next check. */
function interruptAfter(after: number): InterruptSource {
  let checks = 0;
  return () => ({
    signal: {
      get aborted() {
        checks += 1;
        return checks > after;
      },
    } as AbortSignal,
    dispose: () => undefined,
  });
}

interface Scores {
  rows: number;
  tokens: number;
  nll: number;
  interrupted?: boolean;
  rows_planned?: number;
}

describe('runEvaluate', () => {
  it('names a path that is neither a dataset nor a folder', async () => {
    const error = await runEvaluate({ model, data: SATIE }, options(), captureIo()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).message).toBe(
      `${SATIE} is neither a dataset written by mt preprocess nor a folder of MIDI files`,
    );
  });

  it('scores every row, and on an interrupt scores the batches done and says so', async () => {
    const all = captureIo();
    await runEvaluate({ model, data }, options(), all);
    const full = JSON.parse(all.out()) as Scores;
    expect(full.rows).toBeGreaterThan(2);
    expect(full.interrupted).toBeUndefined();
    expect(Number.isFinite(full.nll)).toBe(true);

    const cut = captureIo();
    await runEvaluate({ model, data }, options(), { ...cut, interrupts: interruptAfter(1) });
    const part = JSON.parse(cut.out()) as Scores;
    expect(part).toMatchObject({ rows: 2, interrupted: true, rows_planned: full.rows });
    expect(part.tokens).toBeLessThan(full.tokens);

    const none = await runEvaluate({ model, data }, options(), {
      ...captureIo(),
      interrupts: interruptAfter(0),
    }).catch((e: unknown) => e);
    expect((none as CliError).code).toBe('INTERRUPTED');
  }, 120_000);
});
