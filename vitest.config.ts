import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    coverage: {
      provider: 'v8',
      include: ['cli/**/*.ts', 'workers/**/*.ts', 'queues/**/*.ts', 'schemas/**/*.ts', 'shared/**/*.ts', 'synth/**/*.ts'],
      reporter: ['text-summary', 'text'],
      thresholds: { lines: 92 },
    },
  },
});
