import { initBackend } from '../backend.js';
import { ModelError } from '../errors.js';
import { type HParams, parseHParams } from '../hparams.js';
import { initParams, paramSpecs } from '../params.js';
import { Adam } from './adam.js';
import { type FlatLayout, flatLayout, flatten, unflatten } from './flat.js';
import { type GradResult, Replica } from './replica.js';
import { microBatchSeed } from './seeds.js';
import type {
  EngineState,
  EvalResult,
  StepOptions,
  StepResult,
  TokenBatch,
  TrainingEngine,
  TrainingEngineOptions,
} from './types.js';
import { WorkerReplica } from './worker-replica.js';

/** What the engine needs from a replica, in-process or in a worker. */
interface ReplicaHandle {
  grads(batches: TokenBatch[], seeds: number[], labelSmoothing: number): Promise<GradResult>;
  setFlat(flat: Float32Array): Promise<void>;
  evaluate(batch: TokenBatch): Promise<EvalResult>;
  dispose(): Promise<void>;
}

function localHandle(r: Replica): ReplicaHandle {
  return {
    grads: async (b, s, ls) => r.grads(b, s, ls),
    setFlat: async (f) => r.setFlat(f),
    evaluate: async (b) => r.evaluate(b),
    dispose: async () => r.dispose(),
  };
}

function checkBatch(b: TokenBatch, h: HParams, where: string): void {
  if (!(b.ids instanceof Int32Array))
    throw new ModelError('BAD_INPUT', `${where}: ids must be an Int32Array`);
  if (!Number.isInteger(b.batch) || !Number.isInteger(b.len) || b.batch < 1 || b.len < 2) {
    throw new ModelError(
      'BAD_INPUT',
      `${where}: need batch >= 1 and len >= 2, got batch ${b.batch}, len ${b.len}`,
    );
  }
  if (b.ids.length !== b.batch * b.len) {
    throw new ModelError('BAD_INPUT', `${where}: ${b.ids.length} ids do not fill [${b.batch}, ${b.len}]`);
  }
  if (h.max_abs_position > 0 && b.len - 1 > h.max_abs_position) {
    throw new ModelError(
      'BAD_INPUT',
      `${where}: ${b.len - 1} input positions exceed max_abs_position ${h.max_abs_position}`,
    );
  }
  for (let i = 0; i < b.ids.length; i++) {
    const id = b.ids[i]!;
    if (id < 0 || id >= h.vocab_size) {
      throw new ModelError(
        'BAD_INPUT',
        `${where}: id ${id} at row ${Math.floor(i / b.len)}, column ${i % b.len} is outside the vocabulary [0, ${h.vocab_size})`,
      );
    }
  }
}

/** Contiguous, balanced split of n items over k parts: [start, end) pairs, empty parts dropped. */
function partition(n: number, k: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = 0;
  for (let i = 0; i < k; i++) {
    const size = Math.floor(n / k) + (i < n % k ? 1 : 0);
    if (size > 0) out.push([start, start + size]);
    start += size;
  }
  return out;
}

/**
 * The training engine of docs/architecture.md. The main thread owns the master weights (one flat
 * Float32Array) and Adam; replicas (in-process when workers = 1, else one per worker thread, each with
 * its own backend) compute summed gradients of their share of the micro-batches. The main thread adds
 * them, divides by the step's non-pad target count (so the update equals one big batch), takes the
 * global norm, clips if asked, updates, and sends the new weights to every replica.
 */
export async function createTrainingEngine(options: TrainingEngineOptions): Promise<TrainingEngine> {
  const h = parseHParams(options.hparams);
  const workers = options.workers ?? 1;
  if (!Number.isInteger(workers) || workers < 1) {
    throw new ModelError(
      'BAD_INPUT',
      `createTrainingEngine: workers must be an integer >= 1, got ${workers}`,
    );
  }
  const padId = options.padId ?? 0;
  const choice = options.backend ?? 'auto';
  const layout: FlatLayout = flatLayout(paramSpecs(h));
  const master =
    options.weights !== undefined
      ? flatten(layout, options.weights, 'createTrainingEngine weights')
      : flatten(layout, Object.fromEntries(initParams(h, options.seed)), 'init');
  let adam = new Adam(layout.total);

  let replicas: ReplicaHandle[];
  let backend: string;
  if (workers === 1) {
    backend = (await initBackend(choice)).name;
    replicas = [localHandle(new Replica(h, master, padId))];
  } else {
    const started = await Promise.allSettled(
      Array.from({ length: workers }, () =>
        WorkerReplica.start({ hparams: h, flat: master, backend: choice, padId }),
      ),
    );
    const ok = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failed = started.find((s) => s.status === 'rejected');
    if (failed !== undefined) {
      await Promise.all(ok.map((w) => w.dispose()));
      throw (failed as PromiseRejectedResult).reason;
    }
    backend = ok[0]!.backend;
    replicas = ok;
  }
  let disposed = false;
  let evalTurn = 0;
  const alive = (where: string) => {
    if (disposed) throw new ModelError('DISPOSED', `training engine used after dispose() (${where})`);
  };

  return {
    backend,
    workers,

    async step(microBatches: TokenBatch[], opts: StepOptions): Promise<StepResult> {
      alive('step');
      if (microBatches.length === 0) throw new ModelError('BAD_INPUT', 'step: no micro-batches');
      if (!(opts.lr >= 0) || !Number.isFinite(opts.lr))
        throw new ModelError('BAD_INPUT', `step: lr must be a finite number >= 0, got ${opts.lr}`);
      if (opts.clipNorm !== undefined && !(opts.clipNorm > 0)) {
        throw new ModelError('BAD_INPUT', `step: clipNorm must be > 0, got ${opts.clipNorm}`);
      }
      const ls = opts.labelSmoothing ?? 0;
      if (!(ls >= 0 && ls < 1))
        throw new ModelError('BAD_INPUT', `step: labelSmoothing must be in [0, 1), got ${ls}`);
      if (!Number.isInteger(opts.dropoutSeed))
        throw new ModelError('BAD_INPUT', `step: dropoutSeed must be an integer, got ${opts.dropoutSeed}`);
      for (const [i, b] of microBatches.entries()) checkBatch(b, h, `step: micro-batch ${i}`);
      const seeds = microBatches.map((_, i) => microBatchSeed(opts.dropoutSeed, i));
      const parts = partition(microBatches.length, replicas.length);
      const results = await Promise.all(
        parts.map(([s, e], i) => replicas[i]!.grads(microBatches.slice(s, e), seeds.slice(s, e), ls)),
      );
      const grad = results[0]!.grad;
      let nllSum = 0;
      let tokens = 0;
      let correct = 0;
      for (const [i, r] of results.entries()) {
        if (i > 0) for (let j = 0; j < grad.length; j++) grad[j] = grad[j]! + r.grad[j]!;
        nllSum += r.nllSum;
        tokens += r.tokens;
        correct += r.correct;
      }
      if (tokens === 0)
        throw new ModelError('BAD_INPUT', `step: the micro-batches hold no target other than pad (${padId})`);
      let sq = 0;
      for (let j = 0; j < grad.length; j++) {
        const g = grad[j]! / tokens;
        grad[j] = g;
        sq += g * g;
      }
      const gradNorm = Math.sqrt(sq);
      if (!Number.isFinite(gradNorm)) {
        throw new ModelError(
          'BAD_INPUT',
          `step: gradient norm is ${gradNorm}; weights left unchanged (lower the lr?)`,
        );
      }
      if (opts.clipNorm !== undefined && gradNorm > opts.clipNorm) {
        const scale = opts.clipNorm / gradNorm;
        for (let j = 0; j < grad.length; j++) grad[j] = grad[j]! * scale;
      }
      adam.update(master, grad, opts.lr);
      await Promise.all(replicas.map((r) => r.setFlat(master)));
      return { loss: nllSum / tokens, tokens, correct, gradNorm };
    },

    async evaluate(microBatch: TokenBatch): Promise<EvalResult> {
      alive('evaluate');
      checkBatch(microBatch, h, 'evaluate');
      const r = replicas[evalTurn++ % replicas.length]!;
      return r.evaluate(microBatch);
    },

    async getState(): Promise<EngineState> {
      alive('getState');
      return {
        weights: unflatten(layout, master),
        adam: { m: unflatten(layout, adam.m), v: unflatten(layout, adam.v), t: adam.t },
      };
    },

    async setState(state: EngineState): Promise<void> {
      alive('setState');
      if (state?.weights === undefined || state.adam === undefined) {
        throw new ModelError('BAD_WEIGHTS', 'setState: the state needs { weights, adam: { m, v, t } }');
      }
      const t = state.adam.t;
      if (!Number.isInteger(t) || t < 0)
        throw new ModelError('BAD_WEIGHTS', `setState: adam.t must be an integer >= 0, got ${t}`);
      const weights = flatten(layout, state.weights, 'setState weights');
      const next = new Adam(layout.total);
      next.m = flatten(layout, state.adam.m, 'setState adam.m');
      next.v = flatten(layout, state.adam.v, 'setState adam.v');
      next.t = t;
      master.set(weights);
      adam = next;
      await Promise.all(replicas.map((r) => r.setFlat(master)));
    },

    async dispose(): Promise<void> {
      if (disposed) return;
      disposed = true;
      await Promise.all(replicas.map((r) => r.dispose()));
    },
  };
}
