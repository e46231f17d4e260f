import { defineConfig } from 'vitest/config';

// Unit tests live beside the code and need no running service (some read fixtures or use a
// loopback socket); integration and e2e tests under tests/ run against the real stack,
// which tests/support/global-setup.ts brings up.
export default defineConfig({
  test: {
    // The stack is shared; integration files run one at a time so their consumer
    // groups and fault injections (stopping Redis, killing workers) do not interfere.
    fileParallelism: false,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'services/*/src/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/**/*.test.ts'],
          // The full fault matrix runs with `npm run test:faults` (vitest.faults.config.ts).
          exclude: ['**/node_modules/**', 'tests/faults/**/*.full.test.ts'],
          environment: 'node',
          globalSetup: ['tests/support/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
