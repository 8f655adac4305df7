import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // One worker: the machine has 2 cores shared with other engineers.
    maxWorkers: 1,
    testTimeout: 60_000,
  },
});
