import { defineConfig } from 'vitest/config';

// Training tests spawn worker threads and child processes on a shared 2-core machine: run files one at a
// time so they do not compete, with timeouts sized for the slow wasm backend.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
