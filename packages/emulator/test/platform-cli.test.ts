import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { EmulatorCredentials } from '../src/index.js';
import { bearer, request } from './support/http.js';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
let child: ChildProcess | undefined;

afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
  child = undefined;
});

/** Runs the CLI from source, as `tsx --conditions=@forcekit/source src/cli.ts` does in development. */
function runCli(args: string[]): ChildProcess {
  return spawn(
    process.execPath,
    ['--conditions=@forcekit/source', '--import', 'tsx', 'src/cli.ts', ...args],
    {
      cwd: PACKAGE_DIR,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
}

async function firstLine(process: ChildProcess): Promise<string> {
  const lines = createInterface({ input: process.stdout as NodeJS.ReadableStream });
  for await (const line of lines) return line;
  throw new Error('the CLI printed nothing');
}

describe('forcekit-emulator CLI', () => {
  it('starts an org, prints working credentials and stops on SIGTERM', async () => {
    child = runCli(['--port', '0', '--json', '--username', 'cli@example.com']);
    const credentials = JSON.parse(await firstLine(child)) as EmulatorCredentials & { url: string };
    expect(credentials.username).toBe('cli@example.com');
    expect(credentials.jwtPrivateKey).toContain('BEGIN PRIVATE KEY');
    const login = await request<Record<string, string>>(`${credentials.loginUrl}/services/oauth2/token`, {
      method: 'POST',
      form: {
        grant_type: 'password',
        client_id: credentials.clientId,
        client_secret: credentials.clientSecret,
        username: credentials.username,
        password: credentials.password + credentials.securityToken,
      },
    });
    expect(login.status).toBe(200);
    const org = await request<{ users: unknown[] }>(`${credentials.url}/__emulator/org`, {
      headers: bearer(credentials.accessToken),
    });
    // --seed is the default: the demo user is there beside the admin.
    expect(org.body.users).toHaveLength(2);
    child.kill('SIGTERM');
    const [code, signal] = await once(child, 'exit');
    expect({ code, signal }).toEqual({ code: 0, signal: null });
  });

  it('exits with status 2 and the usage on a bad option', async () => {
    child = runCli(['--port', 'nope']);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(stderr).toContain('--port must be an integer');
    expect(stderr).toContain('Usage: forcekit-emulator');
  });
});
