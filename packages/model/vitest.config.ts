import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // Each file gets its own process: TF.js keeps global engine/backend state.
    pool: 'forks',
    // Two cores are shared with other engineers: one test file at a time.
    fileParallelism: false,
  },
});
