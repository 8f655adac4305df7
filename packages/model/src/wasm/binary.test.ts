import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { assemble, type FunctionDef } from './binary.js';

const I32 = 0x7f;

/** f(a, b) = a * b + 1 as an i32 function with a result: exercises result types in the type section. */
const mulAddOne: FunctionDef = {
  name: 'mulAddOne',
  params: [I32, I32],
  results: [I32],
  locals: [],
  code: [0x20, 0, 0x20, 1, 0x6c, 0x41, 1, 0x6a], // local.get 0, local.get 1, i32.mul, i32.const 1, i32.add
};

/** store(addr, value): i32.store at a byte address of the imported memory. */
const store: FunctionDef = {
  name: 'store',
  params: [I32, I32],
  locals: [],
  code: [0x20, 0, 0x20, 1, 0x36, 2, 0], // local.get 0, local.get 1, i32.store align=4 offset=0
};

describe('assemble', () => {
  it('emits functions with and without results, exported by name, on the imported memory', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const m = new WebAssembly.Instance(new WebAssembly.Module(assemble([mulAddOne, store])), {
      env: { memory },
    }).exports as { mulAddOne(a: number, b: number): number; store(addr: number, v: number): void };
    expect(m.mulAddOne(6, 7)).toBe(43);
    m.store(8, 1234);
    expect(new Int32Array(memory.buffer)[2]).toBe(1234);
  });

  it('indexes more than 127 functions (LEB128 function indices)', () => {
    const many = Array.from({ length: 130 }, (_, i) => ({ ...mulAddOne, name: `f${i}` }));
    const m = new WebAssembly.Instance(new WebAssembly.Module(assemble(many)), {
      env: { memory: new WebAssembly.Memory({ initial: 1 }) },
    }).exports as Record<string, (a: number, b: number) => number>;
    expect(m.f129!(2, 3)).toBe(7);
  });

  it('a shared memory import links only to a shared memory, which a worker thread then writes through', async () => {
    const bytes = assemble([store], { shared: { maxPages: 16 } });
    const module = new WebAssembly.Module(bytes);
    const unshared = new WebAssembly.Memory({ initial: 1 });
    expect(() => new WebAssembly.Instance(module, { env: { memory: unshared } })).toThrow();
    expect(
      () =>
        new WebAssembly.Instance(new WebAssembly.Module(assemble([store])), { env: { memory: unshared } }),
    ).not.toThrow();

    const memory = new WebAssembly.Memory({ initial: 1, maximum: 16, shared: true });
    const worker = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
       const i = new WebAssembly.Instance(workerData.module, { env: { memory: workerData.memory } });
       i.exports.store(16, 777);
       parentPort.postMessage('done');`,
      { eval: true, workerData: { module, memory } },
    );
    await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    expect(new Int32Array(memory.buffer)[4]).toBe(777);
  });
});
