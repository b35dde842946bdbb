// Compiles the child-process entries (client worker, fixture server, emulator) to plain JavaScript
// before anything is measured. A TypeScript loader in the children would cost each of them a loader
// thread (about 50 MB of RSS on this machine) and seconds of start-up, which would swamp the memory
// figures. forcekit's packages are bundled from source (the `@forcekit/source` condition, as the
// tests see them); every third-party import (undici, zod, jsforce...) stays a separate module, loaded
// from the exact file Node would resolve, so each library runs as it does in a user's process.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

export interface ChildEntries {
  readonly worker: string;
  readonly queryServer: string;
  readonly emulatorServer: string;
  /** Removes the compiled files. */
  dispose(): void;
}

const OURS = /^(?:forcekit|@forcekit\/[^/]+)(?:\/|$)/;
const RESOLVING = Symbol('resolving');

/** Bundle forcekit's workspace sources; pin every other bare import to its resolved file, external. */
export const externalPackages: Plugin = {
  name: 'external-packages',
  setup(plugin) {
    plugin.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === RESOLVING || OURS.test(args.path)) return undefined;
      if (args.path.startsWith('node:')) return { path: args.path, external: true };
      const resolved = await plugin.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: RESOLVING,
      });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      return { path: resolved.external ? args.path : resolved.path, external: true };
    });
  },
};

let built: Promise<ChildEntries> | undefined;

/**
 * Compiles the entries once per runner process (later calls get the same build), into a temporary
 * folder; or, for CPU profiles, into `<profileDir>/build` with source maps, kept so that
 * `profile-summary.ts` can map the profiles' positions back to the TypeScript sources.
 */
export function childEntries(profileDir?: string): Promise<ChildEntries> {
  built ??= compile(profileDir);
  return built;
}

async function compile(profileDir: string | undefined): Promise<ChildEntries> {
  const keep = profileDir !== undefined;
  const outdir = keep ? join(profileDir, 'build') : mkdtempSync(join(tmpdir(), 'forcekit-bench-'));
  if (keep) {
    rmSync(outdir, { recursive: true, force: true });
    mkdirSync(outdir, { recursive: true });
  }
  const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));
  await build({
    entryPoints: {
      worker: source('./child/worker.ts'),
      'query-server': source('./child/query-server.ts'),
      'emulator-server': source('./child/emulator-server.ts'),
    },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    // Keep native syntax (private fields, async/await), as the packages' own builds do.
    target: `node${process.versions.node.split('.')[0]}`,
    outExtension: { '.js': '.mjs' },
    conditions: ['@forcekit/source'],
    sourcemap: keep ? 'linked' : false,
    plugins: [externalPackages],
    logLevel: 'warning',
  });
  return {
    worker: join(outdir, 'worker.mjs'),
    queryServer: join(outdir, 'query-server.mjs'),
    emulatorServer: join(outdir, 'emulator-server.mjs'),
    dispose: () => {
      if (!keep) rmSync(outdir, { recursive: true, force: true });
    },
  };
}
