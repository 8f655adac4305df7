import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { BackendChoice } from './backend-choice.js';
import { ModelError } from './errors.js';
import { tf } from './tf.js';
import { registerFastWasmKernels } from './wasm-kernels/register.js';

export interface BackendInfo {
  /** The TF.js backend now active: 'tensorflow' (tfjs-node or tfjs-node-gpu), 'wasm' or 'cpu'. */
  name: 'tensorflow' | 'wasm' | 'cpu';
  /** What was asked for. */
  requested: BackendChoice;
  /** The npm package that provides the backend. */
  provider: string;
  /** wasm only: whether the SIMD binary is in use. */
  simd?: boolean;
  /** Why earlier candidates of 'auto' were skipped, in order. */
  skipped: string[];
}

const require = createRequire(import.meta.url);
let wasmPathsSet = false;

/** tfjs-node(-gpu) are optional peers: imported by a computed name so nothing breaks when absent. */
async function tryNative(pkg: string): Promise<void> {
  await import(pkg);
  if (!(await tf.setBackend('tensorflow'))) throw new Error(`${pkg} loaded but its backend failed to start`);
}

async function tryWasm(): Promise<boolean> {
  if (!wasmPathsSet) {
    // Node cannot fetch the .wasm from a URL: point the loader at the folder inside node_modules.
    const wasmFile = require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm');
    setWasmPaths(`${dirname(wasmFile)}/`);
    wasmPathsSet = true;
  }
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend failed to initialise');
  // Zero-copy BatchMatMul/Transpose/Slice: see wasm-kernels/register.ts (about 4x faster training).
  registerFastWasmKernels();
  return tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
}

function message(e: unknown): string {
  return e instanceof Error ? e.message.split('\n')[0]! : String(e);
}

/**
 * Selects and initialises a TF.js backend. 'auto' tries tfjs-node-gpu, then tfjs-node, then wasm
 * (SIMD when the runtime has it), then the pure-JS cpu backend; an explicit choice fails with
 * BACKEND_UNAVAILABLE instead of falling back.
 */
export async function initBackend(choice: BackendChoice = 'auto'): Promise<BackendInfo> {
  const skipped: string[] = [];
  const attempt = async <T>(
    label: string,
    fn: () => Promise<T>,
  ): Promise<{ ok: true; value: T } | { ok: false }> => {
    try {
      return { ok: true, value: await fn() };
    } catch (e) {
      if (choice !== 'auto') {
        throw new ModelError('BACKEND_UNAVAILABLE', `backend '${choice}' is unavailable: ${message(e)}`, {
          cause: e,
        });
      }
      skipped.push(`${label}: ${message(e)}`);
      return { ok: false };
    }
  };
  if (choice === 'auto' || choice === 'tensorflow-gpu') {
    const r = await attempt('@tensorflow/tfjs-node-gpu', () => tryNative('@tensorflow/tfjs-node-gpu'));
    if (r.ok)
      return { name: 'tensorflow', requested: choice, provider: '@tensorflow/tfjs-node-gpu', skipped };
  }
  if (choice === 'auto' || choice === 'tensorflow') {
    const r = await attempt('@tensorflow/tfjs-node', () => tryNative('@tensorflow/tfjs-node'));
    if (r.ok) return { name: 'tensorflow', requested: choice, provider: '@tensorflow/tfjs-node', skipped };
  }
  if (choice === 'auto' || choice === 'wasm') {
    const r = await attempt('@tensorflow/tfjs-backend-wasm', tryWasm);
    if (r.ok) {
      return {
        name: 'wasm',
        requested: choice,
        provider: '@tensorflow/tfjs-backend-wasm',
        simd: r.value,
        skipped,
      };
    }
  }
  const r = await attempt('@tensorflow/tfjs-backend-cpu', async () => {
    if (!(await tf.setBackend('cpu'))) throw new Error('the cpu backend failed to initialise');
  });
  if (r.ok) return { name: 'cpu', requested: choice, provider: '@tensorflow/tfjs-backend-cpu', skipped };
  throw new ModelError('BACKEND_UNAVAILABLE', `no TF.js backend could start: ${skipped.join('; ')}`);
}
