import { defineConfig } from 'vitest/config';

/**
 * End-to-end suites (cli/, dashboard/, live/). They spawn built binaries and train tiny models, so files
 * run one at a time: the CI machine has 2 cores and a parallel run would only thrash.
 */
export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
