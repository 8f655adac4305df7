// @ts-check
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { compareAttention, runToStderr } from './attention-run.mjs';
import { attentionVariants, trainArgs } from './attention-variants.mjs';
import { QualityError } from './errors.mjs';
import { summariseMetrics } from './run-metrics.mjs';

const rec = (/** @type {Record<string, unknown>} */ r) =>
  JSON.stringify({ v: 1, time: '2026-11-26T00:00:00Z', ...r });
const train = (/** @type {number} */ step, /** @type {number} */ loss) =>
  rec({
    type: 'train',
    step,
    epoch: 0,
    loss,
    accuracy: 0.1,
    perplexity: Math.exp(loss),
    lr: 1e-3,
    grad_norm: 1,
    tokens_per_s: 100,
    elapsed_s: step * 2,
    eta_s: 0,
  });
const validation = (/** @type {number} */ step, /** @type {number} */ loss) =>
  rec({
    type: 'validation',
    step,
    epoch: 0,
    val_loss: loss,
    val_accuracy: 0.3,
    val_perplexity: Math.exp(loss),
  });

describe('metrics.jsonl summary', () => {
  it('takes the last train and validation records, ignores unknown types and a torn tail', () => {
    const text = [
      train(1, 5),
      validation(1, 4.5),
      rec({ type: 'sample', step: 1, path: 'samples/a.mid' }),
      train(2, 4),
      validation(2, 3.25),
      rec({ type: 'status', status: 'finished', pid: 1 }),
      '{"v":1,"type":"tra',
    ].join('\n');
    const m = summariseMetrics(text, 'm.jsonl');
    assert.deepEqual([m.steps, m.trainSeconds, m.finalTrainLoss, m.status], [2, 4, 4, 'finished']);
    assert.deepEqual(m.validation, {
      step: 2,
      val_loss: 3.25,
      val_accuracy: 0.3,
      val_perplexity: Math.exp(3.25),
    });
  });

  it('names the file when a run has no validation or a broken line', () => {
    assert.throws(
      () => summariseMetrics(`${train(1, 5)}\n`, 'r/metrics.jsonl'),
      /r\/metrics\.jsonl: no validation record/,
    );
    assert.throws(() => summariseMetrics(`nope\n${train(1, 5)}\n`, 'x.jsonl'), /x\.jsonl:1: not JSON/);
  });
});

describe('attention comparison', () => {
  it('builds the two arms with equal settings and only the attention flags differing', () => {
    const [rel, abs] = attentionVariants(256, 1024);
    const base = {
      data: 'd.safetensors',
      out: 'o',
      epochs: 2,
      seed: 7,
      maxSteps: 100,
      force: false,
      extra: ['-d', '64'],
    };
    const a = trainArgs(rel, base);
    const b = trainArgs(abs, base);
    assert.deepEqual(a.slice(0, 5), [
      'train',
      'd.safetensors',
      join('o', 'relative', 'checkpoint.safetensors'),
      join('o', 'relative', 'model.safetensors'),
      '2',
    ]);
    assert.deepEqual(a.slice(a.indexOf('-mrd'), a.indexOf('-mrd') + 4), ['-mrd', '256', '-map', '0']);
    assert.deepEqual(b.slice(b.indexOf('-mrd'), b.indexOf('-mrd') + 4), ['-mrd', '0', '-map', '1024']);
    const differing = a.filter((x, i) => x !== b[i]);
    assert.deepEqual(differing, [
      join('o', 'relative', 'checkpoint.safetensors'),
      join('o', 'relative', 'model.safetensors'),
      '256',
      '0',
      'relative',
    ]);
    assert.deepEqual(a.slice(-6), ['--max-steps', '100', '--validate-every', '100', '-d', '64']);
  });

  it('runs both arms through a CLI process and tabulates their validation NLL', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'attention-test-'));
    try {
      // A stand-in for `mt train`: logs its argv and writes metrics whose NLL depends on -mrd.
      const fake = join(dir, 'fake-mt.mjs');
      await writeFile(
        fake,
        `import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
const a = process.argv.slice(2);
const at = (f) => a[a.indexOf(f) + 1];
appendFileSync(${JSON.stringify(join(dir, 'calls.txt'))}, a.join(' ') + '\\n');
const run = at('--logdir') + '/' + at('--name');
mkdirSync(run, { recursive: true });
const loss = Number(at('-mrd')) > 0 ? 2.5 : 2.75;
const r = (o) => JSON.stringify({ v: 1, time: 't', ...o });
writeFileSync(run + '/metrics.jsonl', [
  r({ type: 'train', step: 40, epoch: 0, loss: 3, accuracy: 0, perplexity: 1, lr: 0, grad_norm: 0, tokens_per_s: 0, elapsed_s: 12.4, eta_s: 0 }),
  r({ type: 'validation', step: 40, epoch: 0, val_loss: loss, val_accuracy: 0.25, val_perplexity: Math.exp(loss) }),
  r({ type: 'status', status: 'finished', pid: process.pid }),
].join('\\n') + '\\n');
`,
      );
      const out = join(dir, 'cmp');
      await mkdir(out);
      const table = await compareAttention({
        mt: [process.execPath, fake],
        data: 'data.safetensors',
        out,
        epochs: 1,
        maxSteps: 40,
        seed: 3,
        maxRelDist: 128,
        maxAbsPosition: 512,
        force: false,
        extra: [],
        log: () => {},
      });
      assert.equal((await readFile(join(dir, 'calls.txt'), 'utf8')).trim().split('\n').length, 2);
      assert.deepEqual(
        table.runs.map((r) => [
          r.name,
          r.max_rel_dist,
          r.max_abs_position,
          r.steps,
          r.val_nll,
          r.train_seconds,
        ]),
        [
          ['relative', 128, 0, 40, 2.5, 12],
          ['absolute', 0, 512, 40, 2.75, 12],
        ],
      );
      assert.equal(table.equalSteps, true);
      assert.equal(table.nllAbsoluteMinusRelative, 0.25);
      assert.match(table.markdown, /\| relative \| 128 \| 0 \| 40 \| 2\.5 \| 0\.25 \| 12 \|/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reports a failing CLI with its command and exit status', async () => {
    await assert.rejects(
      runToStderr([process.execPath, '-e', 'process.exit(3)']),
      (e) =>
        e instanceof QualityError && e.code === 'CLI_FAILED' && /failed with exit status 3/.test(e.message),
    );
  });
});
