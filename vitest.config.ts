import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The client packages of clients/ resolve to their TypeScript sources under the `source` export
  // condition (their package.json), so the tests use them unbuilt; the rest are Vite's defaults but
  // `module`: packages load as Node loads them in production. (The `module` builds are for bundlers:
  // OpenTelemetry's import without file extensions, which Node cannot load.)
  ssr: { resolve: { conditions: ['source', 'node', 'development|production'] } },
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'test/fixtures/**'],
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
