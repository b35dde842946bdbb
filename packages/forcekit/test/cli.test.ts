import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { type Emulator, startEmulator } from '@forcekit/emulator';
import ts from 'typescript';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { runCli } from '../src/cli/run.js';

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator();
});

beforeEach(() => emulator.org.reset());

afterAll(async () => {
  await emulator.stop();
});

/** Runs one command line in process, against the emulator through the SF_* variables. */
async function cli(argv: string[], env: Record<string, string> | 'emulator' = 'emulator') {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString('utf8');
  });
  const vars =
    env === 'emulator'
      ? { SF_INSTANCE_URL: emulator.url, SF_ACCESS_TOKEN: emulator.credentials.accessToken }
      : env;
  const code = await runCli(argv, { stdout, stderr, env: vars });
  return { code, out, err };
}

describe('forcekit query', () => {
  test('prints every record as a JSON array without attributes', async () => {
    emulator.org.insert('Account', [{ Name: 'Alpha' }, { Name: 'Beta' }]);
    const { code, out, err } = await cli(['query', 'SELECT Name FROM Account ORDER BY Name']);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual([{ Name: 'Alpha' }, { Name: 'Beta' }]);
    expect(err).toBe('2 records\n');
  });

  test('prints NDJSON and CSV', async () => {
    emulator.org.insert('Account', [{ Name: 'Alpha, Inc.' }]);
    const ndjson = await cli(['query', 'SELECT Name FROM Account', '--format', 'ndjson']);
    expect(ndjson.out).toBe('{"Name":"Alpha, Inc."}\n');
    const csv = await cli(['query', 'SELECT Name FROM Account', '--format=csv']);
    expect(csv.out.split(/\r?\n/).slice(0, 2)).toEqual(['Name', '"Alpha, Inc."']);
  });

  test('--all includes deleted records', async () => {
    const [record] = emulator.org.insert('Account', [{ Name: 'Gone' }]);
    await fetch(`${emulator.url}/services/data/v62.0/sobjects/Account/${record?.Id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${emulator.credentials.accessToken}` },
    });
    expect(JSON.parse((await cli(['query', 'SELECT Name FROM Account'])).out)).toEqual([]);
    expect(JSON.parse((await cli(['query', 'SELECT Name FROM Account', '--all'])).out)).toEqual([
      { Name: 'Gone' },
    ]);
  });

  test('a malformed query exits 1 with the Salesforce error', async () => {
    const { code, err } = await cli(['query', 'SELEC Name FROM Account']);
    expect(code).toBe(1);
    expect(err).toMatch(/^forcekit: MALFORMED_QUERY/);
  });

  test('logs in with SF_USERNAME and SF_PASSWORD and never prints the password', async () => {
    const c = emulator.credentials;
    const { code, out, err } = await cli(['query', 'SELECT COUNT() FROM Account'], {
      SF_LOGIN_URL: c.loginUrl,
      SF_USERNAME: c.username,
      SF_PASSWORD: c.password,
      SF_SECURITY_TOKEN: c.securityToken,
      SF_CLIENT_ID: c.clientId,
      SF_CLIENT_SECRET: c.clientSecret,
    });
    expect(code).toBe(0);
    expect(out + err).not.toContain(c.password);
    const wrong = await cli(['query', 'SELECT Id FROM Account'], {
      SF_LOGIN_URL: c.loginUrl,
      SF_USERNAME: c.username,
      SF_PASSWORD: 'wrong-password-value',
    });
    expect(wrong.code).toBe(1);
    expect(wrong.err).not.toContain('wrong-password-value');
  });
});

describe('forcekit describe', () => {
  test('prints the fields as a table', async () => {
    const { code, out } = await cli(['describe', 'Contact']);
    expect(code).toBe(0);
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^FIELD\s+TYPE\s+LABEL$/);
    expect(lines.find((line) => line.startsWith('LastName '))).toMatch(/string\(80\) required\s+Last Name$/);
    expect(lines.find((line) => line.startsWith('AccountId '))).toMatch(/reference\(Account\)/);
  });

  test('--json prints the describe itself', async () => {
    const { out } = await cli(['describe', 'Account', '--json']);
    expect(JSON.parse(out)).toMatchObject({ name: 'Account', fields: expect.any(Array) });
  });

  test('an unknown object exits 1 naming it', async () => {
    const { code, err } = await cli(['describe', 'Nope__c']);
    expect(code).toBe(1);
    expect(err).toMatch(/NOT_FOUND|INVALID_TYPE/);
  });
});

describe('forcekit generate-types', () => {
  test('writes a schema that TypeScript accepts, with relationships between the generated objects', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'forcekit-types-'));
    try {
      const file = join(dir, 'schema.ts');
      const { code, err } = await cli(['generate-types', 'Account', 'Contact', '--out', file]);
      expect(code).toBe(0);
      expect(err).toBe(`wrote ${file} (2 objects)\n`);
      const source = await readFile(file, 'utf8');
      expect(source).toContain('export interface Account {');
      expect(source).toMatch(/\n {2}Contacts: Contact\[\];\n/);
      expect(source).toMatch(/\n {2}Account: Account \| null;\n/);
      expect(source).toContain('export interface Schema {\n  Account: Account;\n  Contact: Contact;\n}');
      const parsed = ts.createSourceFile(file, source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
      const diagnostics = (parsed as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
      expect(diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('command line mistakes', () => {
  test('no org in the environment exits 1 naming the variables to set', async () => {
    const { code, err } = await cli(['query', 'SELECT Id FROM Account'], {});
    expect(code).toBe(1);
    expect(err).toMatch(/SF_INSTANCE_URL, SF_ACCESS_TOKEN: set both, or SF_USERNAME and SF_PASSWORD/);
  });

  test('an unknown command or option exits 2 with the usage', async () => {
    const unknown = await cli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/unknown command "frobnicate"[\s\S]*Usage:/);
    const option = await cli(['query', 'SELECT Id FROM Account', '--nope']);
    expect(option.code).toBe(2);
    const format = await cli(['query', 'SELECT Id FROM Account', '--format', 'xml']);
    expect(format.err).toMatch(/--format must be json, ndjson or csv/);
  });

  test('help prints the usage', async () => {
    const { code, out } = await cli(['--help']);
    expect(code).toBe(0);
    expect(out).toMatch(/forcekit generate-types/);
  });
});

describe('forcekit emulator', () => {
  test('starts the emulator CLI as a child and stops it on SIGTERM', async () => {
    const main = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
    const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--conditions=@forcekit/source', main, 'emulator', '--port', '0', '--json'],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let buffered = '';
        child.stdout.on('data', (chunk: Buffer) => {
          buffered += chunk.toString('utf8');
          const end = buffered.indexOf('\n');
          if (end !== -1) resolve(buffered.slice(0, end));
        });
        child.once('exit', (code) => reject(new Error(`exited ${code} before printing`)));
      });
      const { url } = JSON.parse(line) as { url: string };
      const versions = await fetch(`${url}/services/data`);
      expect(versions.status).toBe(200);
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
