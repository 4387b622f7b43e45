import { defineConfig } from 'vitest/config';

// Two projects: `unit` needs nothing running; `integration` talks to the real local
// services that `npm test` starts (Kafka, the object store, the registry, the catalog).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.it.test.ts', '**/node_modules/**'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/**/*.it.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 120_000,
          // The integration tests share one broker and one object store on 2 cores:
          // running files one at a time keeps their timing honest and their load bounded.
          fileParallelism: false,
        },
      },
    ],
  },
});
