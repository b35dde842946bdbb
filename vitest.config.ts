import { readdirSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// Workspace packages resolve each other through the `@forcekit/source` export condition, so tests run
// against source with no build step (the Zod/Drizzle layout). One vitest project per package.
// `import` is deliberately absent: vitest hands these conditions to its workers as `--conditions`, and an
// explicit `import` condition would make CommonJS `require()` calls (express 5's router) load ESM builds.
// Node adds `import`/`require` by itself for each kind of load.
const sourceConditions = ['@forcekit/source', 'node', 'default'];
const packages = readdirSync(new URL('./packages/', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

export default defineConfig({
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: sourceConditions, externalConditions: ['@forcekit/source'] } },
  test: {
    projects: [
      ...packages.map((name) => ({
        extends: true as const,
        test: {
          name,
          root: `packages/${name}`,
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      })),
      {
        extends: true as const,
        test: {
          name: 'examples',
          root: 'examples',
          include: ['test/**/*.test.ts'],
          testTimeout: 60_000,
        },
      },
    ],
  },
});
