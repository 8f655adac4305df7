import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createGenerator,
  createTrainingEngine,
  initBackend,
  loadModel,
  readModelFile,
} from '@music-transformer/model';
import { createVocab } from '@music-transformer/vocab';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, runMt, tempDir } from '../cli/helpers.js';
import { BAD_FILES, reference, torchPython } from './torch-python.js';

/**
 * `mt import` / `mt export` held against real PyTorch: a reference module of the same architecture
 * (reference.py, addressed by the original's state_dict names) writes .pt files the way the original's
 * train.py does, and computes logits, loss, gradient norm and dataset NLL that ours must match.
 */

const python = torchPython();
const work = tempDir('torch');
const at = (name: string) => join(work.dir, name);
const vocab = createVocab();

const HPARAMS = {
  d_model: 32,
  num_layers: 2,
  num_heads: 4,
  d_ff: 64,
  max_rel_dist: 16,
  max_abs_position: 0,
  vocab_size: 416,
  bias: true,
  dropout: 0.1,
  layernorm_eps: 1e-6,
};

/** Two rows of 41 ids (40 inputs: longer than max_rel_dist 16), the second right-padded with 10 pads. */
const LEN = 41;
const ROWS = [0, 1].map((r) =>
  Array.from({ length: LEN }, (_, i) =>
    i === 0 ? vocab.start : r === 1 && i >= LEN - 10 ? vocab.pad : 1 + ((i * 37 + r * 101) % 355),
  ),
);

interface RunResult {
  logits: number[];
  loss: number;
  grad_norm: number;
  nll?: number;
  tokens?: number;
}

const figures: Record<string, number> = {};

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

function relDiff(a: number, b: number): number {
  return Math.abs(a - b) / Math.abs(b);
}

function save(
  out: string,
  hparams: Record<string, unknown>,
  variant: Record<string, unknown> = {},
  seed = 1,
) {
  reference(python, { op: 'save', out, hparams, seed, variant });
}

async function importCli(pt: string, out: string, flags: string[] = []): Promise<void> {
  const r = await runMt(['import', pt, out, ...flags]);
  expect(r.code, r.stderr).toBe(0);
}

/** Our TF.js model's logits for the rows' inputs, flattened [rows, LEN-1, vocab]. */
function ourLogits(modelFile: string): Float32Array {
  const model = loadModel(new Uint8Array(readFileSync(modelFile)), { fileName: modelFile });
  try {
    return tf.tidy(() => {
      const ids = tf.tensor2d(
        ROWS.map((r) => r.slice(0, -1)),
        [ROWS.length, LEN - 1],
        'int32',
      );
      return model.logits(ids, { training: false }).dataSync() as Float32Array;
    });
  } finally {
    model.dispose();
  }
}

beforeAll(async () => {
  await initBackend('wasm');
});

afterAll(() => {
  // The agreement figures, for the record (stdout of the test run).
  console.log(JSON.stringify({ torch_agreement: figures }));
  work.cleanup();
});

describe('a checkpoint of the original format ({state_dict, hparams}, F32, .self_attn. names)', () => {
  const pt = at('main.pt');
  const model = at('main.safetensors');
  let torch: RunResult;

  beforeAll(async () => {
    save(pt, HPARAMS);
    torch = reference<RunResult>(python, { op: 'run', pt, ids: ROWS });
    await importCli(pt, model);
  });

  it('imports to logits within 1e-4 of torch at length 40 > max_rel_dist 16', () => {
    const file = readModelFile(new Uint8Array(readFileSync(model)), { fileName: model });
    expect(file.hparams).toEqual({ ...HPARAMS, norm: 'pre' });
    const diff = maxAbsDiff(ourLogits(model), torch.logits);
    figures.logits_max_abs_diff = diff;
    expect(diff).toBeLessThanOrEqual(1e-4);
  });

  it('gives the loss and gradient norm of torch within 1e-5 relative (engine step at lr 0)', async () => {
    const file = readModelFile(new Uint8Array(readFileSync(model)));
    const engine = await createTrainingEngine({
      hparams: { ...file.hparams, dropout: 0 },
      seed: 1,
      workers: 1,
      backend: 'wasm',
      weights: Object.fromEntries(file.weights),
      padId: vocab.pad,
    });
    try {
      const ids = Int32Array.from(ROWS.flat());
      const r = await engine.step([{ ids, batch: ROWS.length, len: LEN }], { lr: 0, dropoutSeed: 1 });
      figures.loss_rel_diff = relDiff(r.loss, torch.loss);
      figures.grad_norm_rel_diff = relDiff(r.gradNorm, torch.grad_norm);
      expect(figures.loss_rel_diff).toBeLessThanOrEqual(1e-5);
      expect(figures.grad_norm_rel_diff).toBeLessThanOrEqual(1e-5);
    } finally {
      await engine.dispose();
    }
  });

  it("the cached generator's logits at every step are within 1e-4 of torch's full forward", () => {
    const file = readModelFile(new Uint8Array(readFileSync(model)));
    const generator = createGenerator(
      { hparams: file.hparams, weights: Object.fromEntries(file.weights) },
      { contextLength: 64 },
    );
    const row = ROWS[0]!;
    const session = generator.session({ primer: [row[0]!], grammar: false });
    let worst = 0;
    for (let t = 0; t < LEN - 1; t++) {
      const expected = torch.logits.slice(t * vocab.size, (t + 1) * vocab.size);
      worst = Math.max(worst, maxAbsDiff(session.nextLogits(), expected));
      session.append([row[t + 1]!]);
    }
    figures.cached_generator_max_abs_diff = worst;
    expect(worst).toBeLessThanOrEqual(1e-4);
  });

  it('mt evaluate on an mt preprocess dataset, given the .pt itself, gives the NLL of torch within 1e-4', async () => {
    const data = at('data.safetensors');
    const pre = await runMt(['preprocess', FIXTURES, data, '64', '--workers', '1', '--seed', '3']);
    expect(pre.code, pre.stderr).toBe(0);
    const r = await runMt(['evaluate', pt, data, '--json', '--backend', 'wasm']);
    expect(r.code, r.stderr).toBe(0);
    const ours = JSON.parse(r.stdout) as { nll: number; tokens: number };
    const theirs = reference<{ nll: number; tokens: number }>(python, { op: 'run', pt, dataset: data });
    expect(ours.tokens).toBe(theirs.tokens);
    figures.evaluate_nll_abs_diff = Math.abs(ours.nll - theirs.nll);
    figures.evaluate_tokens = ours.tokens;
    expect(figures.evaluate_nll_abs_diff).toBeLessThanOrEqual(1e-4);
  });

  it('round trip: mt export, then torch.load + strict load_state_dict, gives the same logits', async () => {
    const back = at('back.pt');
    const r = await runMt(['export', model, back]);
    expect(r.code, r.stderr).toBe(0);
    const again = reference<RunResult & { hparams: Record<string, unknown> }>(python, {
      op: 'run',
      pt: back,
      ids: ROWS,
    });
    expect(again.hparams).toEqual(HPARAMS);
    figures.round_trip_max_abs_diff = maxAbsDiff(again.logits, torch.logits);
    expect(figures.round_trip_max_abs_diff).toBe(0);
  });

  it('mt info and mt generate take the .pt directly', async () => {
    const info = await runMt(['info', pt, '--json']);
    expect(info.code, info.stderr).toBe(0);
    expect(JSON.parse(info.stdout)).toMatchObject({ layout: 'checkpoint', hparams: { norm: 'pre' } });
    const mid = at('out.mid');
    const gen = await runMt(['generate', pt, mid, '--max-seconds', '2', '--seed', '1']);
    expect(gen.code, gen.stderr).toBe(0);
    expect(readFileSync(mid).subarray(0, 4).toString()).toBe('MThd');
  });
});

describe('storage and naming variants', () => {
  it('.mha. names, bias false, F16 and BF16 storages, offset/strided and transposed views, CUDA-tagged storages', async () => {
    const pt = at('variants.pt');
    const model = at('variants.safetensors');
    save(
      pt,
      { ...HPARAMS, bias: false },
      {
        mha: true,
        cuda: true,
        f16: ['final.weight', 'decoder.layers.1.self_attn.E.weight'],
        bf16: ['decoder.layers.0.ffn.main.0.weight'],
        strided: ['decoder.layers.1.self_attn.wq.weight', 'decoder.norm.bias'],
        transposed: ['decoder.layers.0.self_attn.wo.weight'],
      },
      2,
    );
    const r = await runMt(['import', pt, model]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("'.mha.'");
    expect(r.stderr).toContain('F16');
    expect(r.stderr).toContain('BF16');
    expect(r.stderr).toContain('cuda:0');
    const torch = reference<RunResult>(python, { op: 'run', pt, ids: ROWS });
    figures.variants_logits_max_abs_diff = maxAbsDiff(ourLogits(model), torch.logits);
    expect(figures.variants_logits_max_abs_diff).toBeLessThanOrEqual(1e-4);
  });

  it("the original trainer's checkpoint (model_state_dict beside Adam and LambdaLR states)", async () => {
    const pt = at('trainer.pt');
    const model = at('trainer.safetensors');
    save(pt, HPARAMS, { trainer: true }, 4);
    await importCli(pt, model);
    const torch = reference<RunResult>(python, { op: 'run', pt, ids: ROWS });
    figures.trainer_checkpoint_logits_max_abs_diff = maxAbsDiff(ourLogits(model), torch.logits);
    expect(figures.trainer_checkpoint_logits_max_abs_diff).toBeLessThanOrEqual(1e-4);
  });

  it('absolute positions in a bare state_dict: hparams the weights cannot tell come from -nh and -map', async () => {
    const hparams = { ...HPARAMS, max_abs_position: 64 };
    const pt = at('bare.pt');
    const model = at('bare.safetensors');
    save(pt, hparams, { bare: true }, 3);
    const refused = await runMt(['import', pt, model]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error: .*bare\.pt: .*num_heads.*max_abs_position.*-nh.*-map/);
    expect(existsSync(model)).toBe(false);
    const used = await runMt(['generate', pt, at('bare.mid')]);
    expect(used.code).toBe(1);
    expect(used.stderr).toMatch(/^error: .*bare\.pt: .*convert it once with: mt import /);
    await importCli(pt, model, ['-nh', '4', '-map', '64']);
    const torch = reference<RunResult>(python, { op: 'run', pt, ids: ROWS, hparams });
    figures.absolute_positions_logits_max_abs_diff = maxAbsDiff(ourLogits(model), torch.logits);
    expect(figures.absolute_positions_logits_max_abs_diff).toBeLessThanOrEqual(1e-4);
    const wrong = await runMt(['import', pt, at('wrong.safetensors'), '-nh', '4', '-map', '64', '-d', '64']);
    expect(wrong.stderr).toMatch(/d_model is 32 according to the weights but 64 according to -d/);
  });

  it('mt export refuses a post-LN model, naming the file', async () => {
    const post = at('post.safetensors');
    const pt = at('main.pt');
    // A post-LN model file: the imported weights with norm 'post' in the metadata.
    const file = readModelFile(new Uint8Array(readFileSync(at('main.safetensors'))));
    const { encodeImportedModel } = await import('@music-transformer/model/torch');
    const bytes = encodeImportedModel({
      ...file,
      hparams: { ...file.hparams, norm: 'post' },
      layout: 'checkpoint',
      notes: [],
    });
    writeFileSync(post, bytes);
    const r = await runMt(['export', post, at('post.pt')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: .*post\.safetensors: the model is post-LN/);
    expect(existsSync(at('post.pt'))).toBe(false);
    expect(existsSync(pt)).toBe(true);
  });
});

describe('bad input: one clear error naming the file, nothing written', () => {
  let bad: Record<string, string>;
  beforeAll(() => {
    save(at('good.pt'), HPARAMS);
    const r = spawnSync(python, [BAD_FILES, at('good.pt'), work.dir], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    bad = JSON.parse(r.stdout);
  });

  const cases: [string, RegExp][] = [
    ['not_torch', /a zip archive but not a torch\.save file/],
    ['truncated', /truncated/],
    ['forbidden', /refers to the class posix\.system/],
    ['huge_storage', /claims 2147483648 F32 elements .* but the record holds 64 bytes/],
    ['huge_view', /shape \[65536,65536\] .* reaches beyond its storage of 16 elements/],
    ['legacy', /legacy format of torch < 1\.6.*re-save it with torch >= 1\.6/],
  ];
  for (const [name, pattern] of cases) {
    it(`${name}`, async () => {
      const out = at(`${name}.safetensors`);
      const r = await runMt(['import', bad[name]!, out]);
      expect(r.code).toBe(1);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(bad[name]!);
      expect(lines[0]).toMatch(pattern);
      expect(existsSync(out)).toBe(false);
    });
  }
});
