import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Import direction (docs/architecture.md, "Folders and what they may import"). Relative
// imports that leave a package are caught by scripts/check-boundaries.ts, so these
// package-name rules see every dependency.
const serviceNames = ['ingest-api', 'query-api', 'dedup', 'correlate', 'indexer'];
const named = (names) => names.flatMap((n) => [`@vigil/${n}`, `@vigil/${n}/*`]);
const noServices = { group: named(serviceNames), message: 'A service is imported by nothing but tests and tools: services never import each other, packages never import a service. Move the shared code into a package.' };
const noDevStack = { group: named(['dev-stack']), message: 'The development stack (npm start, tests, bench) is never part of the product: a service or a library must not import it.' };
const noCli = { group: named(['cli']), message: 'The operator CLI is an application; nothing imports it but tests.' };
const noTesting = { group: ['@vigil/*/testing'], message: 'Test helpers (a package\'s testing/ export) stay out of production code.' };
const restrict = (...groups) => ({ 'no-restricted-imports': ['error', { patterns: groups }] });

export default tseslint.config(
  { ignores: ['node_modules/**', '.vigil/**', 'dist/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', fetch: 'readonly', AbortSignal: 'readonly', performance: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Only main files read process.env; pass config in.' }],
    },
  },
  {
    // Entry points are where the environment is read, once, into a frozen config.
    files: ['**/main.ts', 'tests/**', 'scripts/**', 'vitest.config.ts', '**/*.test.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['packages/**/*.ts', 'services/**/*.ts'],
    rules: restrict(noServices, noDevStack, noCli, noTesting),
  },
  {
    // The operator CLI takes its local defaults (and run/stack/token) from the dev stack.
    files: ['packages/cli/**/*.ts'],
    rules: restrict(noServices, noCli, noTesting),
  },
  {
    // The dev stack starts services as processes; it never imports their code.
    files: ['packages/dev-stack/**/*.ts'],
    rules: restrict(noServices, noCli, noTesting),
  },
  {
    files: ['packages/**/*.test.ts', 'services/**/*.test.ts', 'packages/*/testing/**/*.ts', 'services/*/testing/**/*.ts'],
    rules: restrict(noServices, noDevStack, noCli),
  },
);
