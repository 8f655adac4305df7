import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // The property and fuzz tests take ~1-2 s alone but several times that when the shared 2-core
    // machine is busy; the default 5 s would make them fail for load, not for a bug.
    testTimeout: 30_000,
  },
});
