import { defineConfig } from 'vitest/config';

// `npm run test:faults`: the whole fault matrix (docs/delivery.md, "Fault matrix"), one file
// at a time against the real stack. `npm test` runs only tests/faults/*.test.ts without `.full`.
export default defineConfig({
  test: {
    fileParallelism: false,
    include: ['tests/faults/*.test.ts'],
    environment: 'node',
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
