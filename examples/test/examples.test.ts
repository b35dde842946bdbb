import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import * as apexRest from '../src/apex-rest.js';
import * as bulkLoad from '../src/bulk-load.js';
import * as crud from '../src/crud.js';
import { generateSchema, SCHEMA_FILE } from '../src/generate-schema.js';
import { type ExampleOrg, type OpenOptions, openOrg } from '../src/org.js';
import * as pushTopicStream from '../src/pushtopic-stream.js';
import * as queryToCsv from '../src/query-to-csv.js';
import * as queryUpdate from '../src/query-update.js';
import { startWebApp, type WebApp } from '../src/web-app.js';

const cleanup: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

/** The example's org: always the emulator here, whatever SF_* variables the machine has. */
async function emulatorOrg(
  seed?: OpenOptions['seed'],
): Promise<{ org: ExampleOrg; lines: string[]; log: (l: string) => void }> {
  const org = await openOrg({ env: {}, seed });
  cleanup.push(() => org.close());
  expect(org.emulator).toBeDefined();
  const lines: string[] = [];
  return { org, lines, log: (line) => lines.push(line) };
}

describe('examples against the emulator', () => {
  test('crud creates, reads, renames, bulk-creates with one failure, and deletes', async () => {
    const { org, lines, log } = await emulatorOrg();
    const summary = await crud.run(org, log);
    expect(summary).toMatchObject({ bulkCreated: 2, bulkFailed: 1, remaining: 0 });
    expect(summary.renamedTo).toMatch(/\(renamed\)$/);
    expect(org.emulator?.org.records('Account')).toEqual([]);
    expect(lines.some((line) => line.includes('failure: REQUIRED_FIELD_MISSING'))).toBe(true);
  });

  test('query-update raises five tracked records and bulk-edits the whole query', async () => {
    const { org, log } = await emulatorOrg(queryUpdate.seed);
    const summary = await queryUpdate.run(org, log);
    expect(summary).toEqual({ energy: 5, raised: 5, rated: 100 });
    const raised = org.emulator?.org.records('Account').filter((a) => a.AnnualRevenue !== 1_000_000) ?? [];
    expect(raised).toHaveLength(5);
  });

  test('query-to-csv writes a header and one line per account', async () => {
    const { org, log } = await emulatorOrg(queryToCsv.seed);
    const dir = await mkdtemp(join(tmpdir(), 'forcekit-example-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const summary = await queryToCsv.run(org, log, join(dir, 'accounts.csv'));
    const lines = (await readFile(summary.file, 'utf8')).split(/\r?\n/).filter((line) => line !== '');
    expect(summary.rows).toBe(5_000);
    expect(lines).toHaveLength(5_001);
    expect(lines[0]).toBe('Id,Name,Industry,AnnualRevenue');
  });

  test('bulk-load loads a CSV, reports the failed rows by number, exports a bulk query, cleans up', async () => {
    const { org, lines, log } = await emulatorOrg();
    const dir = await mkdtemp(join(tmpdir(), 'forcekit-example-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const input = await bulkLoad.writeSampleCsv(join(dir, 'in.csv'), 600);
    const summary = await bulkLoad.run(org, log, input, join(dir, 'out.csv'));
    expect(summary).toMatchObject({ loaded: 598, exported: 598, deleted: 598 });
    expect(summary.failed).toEqual([
      { row: 250, code: 'REQUIRED_FIELD_MISSING' },
      { row: 500, code: 'REQUIRED_FIELD_MISSING' },
    ]);
    const exported = (await readFile(summary.exportFile, 'utf8')).trimEnd().split('\n');
    expect(exported).toHaveLength(599);
    expect(exported[0]).toBe('"Id","Name","Phone","Industry"');
    expect(exported[1]).toMatch(/^"001\w{15}","forcekit bulk example 0001, Inc\.","555-0001","Retail"$/);
    expect(lines).toContain('600 rows: 598 created, 2 failed, 0 unprocessed');
    expect(org.emulator?.org.records('Account')).toEqual([]);
  });

  test('pushtopic-stream prints the four events of its changes and removes what it made', async () => {
    const { org, lines, log } = await emulatorOrg();
    const summary = await pushTopicStream.run(org, log, 10_000);
    expect(summary.events.map((event) => event.split(' ')[0])).toEqual([
      'created',
      'created',
      'updated',
      'deleted',
    ]);
    expect(summary.events.slice(0, 3)).toEqual([
      'created Solar One',
      'created Wind Two',
      'updated Solar One Renamed',
    ]);
    expect(lines).toContain(`subscribed to /topic/${pushTopicStream.TOPIC}`);
    expect(org.emulator?.org.records('Account')).toEqual([]);
    expect(org.emulator?.org.records('PushTopic')).toEqual([]);
  });

  test('apex-rest creates through POST and reads back through GET', async () => {
    const { org, log } = await emulatorOrg(apexRest.seed);
    const summary = await apexRest.run(org, log);
    expect(summary.createdId.startsWith('001')).toBe(true);
    expect(summary.count).toBe(1);
  });
});

/** A browser for the web app: keeps cookies, follows redirects across the app and the emulator. */
class Browser {
  readonly #cookies = new Map<string, string>();

  async visit(url: string): Promise<{ final: string; response: Response }> {
    let current = url;
    for (let hops = 0; hops < 10; hops++) {
      const cookie = [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      const response = await fetch(current, { redirect: 'manual', headers: cookie === '' ? {} : { cookie } });
      for (const line of response.headers.getSetCookie()) {
        const pair = line.split(';')[0] as string;
        this.#cookies.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
      }
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || location === null)
        return { final: current, response };
      current = new URL(location, current).toString();
    }
    throw new Error(`too many redirects from ${url}`);
  }
}

describe('web-app example', () => {
  let web: WebApp;

  test('two visitors log in with OAuth and each sees only their own accounts', async () => {
    web = await startWebApp({ port: 0, env: {} });
    cleanup.push(() => web.close());
    const admin = new Browser();
    const ada = new Browser();
    expect(await (await admin.visit(`${web.url}/`)).response.text()).toContain('Not logged in');
    const home = await admin.visit(`${web.url}/login`);
    expect(home.final).toBe(`${web.url}/`);
    expect(await home.response.text()).toMatch(/Hello /);
    await ada.visit(`${web.url}/login?user=ada@example.com`);
    expect(await (await admin.visit(`${web.url}/accounts`)).response.json()).toEqual({
      user: 'admin@emulator.forcekit.dev',
      accounts: ['Admin Corp'],
    });
    expect(await (await ada.visit(`${web.url}/accounts`)).response.json()).toEqual({
      user: 'ada@example.com',
      accounts: ['Analytical Engines Ltd'],
    });
    await ada.visit(`${web.url}/logout`);
    expect((await ada.visit(`${web.url}/accounts`)).response.status).toBe(401);
    expect((await admin.visit(`${web.url}/accounts`)).response.status).toBe(200);
  });
});

describe('the typed schema the examples use', () => {
  test('matches what forcekit generate-types produces from the emulator today', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'forcekit-schema-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const fresh = join(dir, 'schema.ts');
    expect(await generateSchema(fresh)).toBe(0);
    expect(
      await readFile(fresh, 'utf8'),
      'examples/src/schema.ts is stale: run `pnpm --filter forcekit-examples generate-schema`',
    ).toBe(await readFile(SCHEMA_FILE, 'utf8'));
  });
});

describe('pnpm demo', () => {
  test('walks through every step against its own emulator and exits 0', async () => {
    const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
    const { code, out, err } = await runTs('examples/src/demo.ts', repoRoot);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toContain('streamed 10002 accounts');
    expect(out).toContain('created 999 contacts; 1 failed (record 500: REQUIRED_FIELD_MISSING), none lost');
    expect(out).toContain(
      'createMany: 4999 of 5000 contacts created by one Bulk API 2.0 job; row 2500 failed (REQUIRED_FIELD_MISSING)',
    );
    expect(out).toContain('bulk query streamed back 5998 contacts');
    expect(out).toMatch(/event #\d+: created Tidal Power\n {2}event #\d+: created Geo Heat\n/);
    expect(out).toContain('2 events for 3 new accounts');
    expect(out).toContain('three concurrent calls on an expired session: 1 refresh');
    expect(out.trimEnd().endsWith('Done.')).toBe(true);
  });
});

/** Runs a TypeScript file with tsx, resolving workspace packages from source; resolves with its output. */
async function runTs(file: string, cwd: string): Promise<{ code: number | null; out: string; err: string }> {
  const tsx = import.meta.resolve('tsx');
  const child = spawn(process.execPath, ['--import', tsx, '--conditions=@forcekit/source', file], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString('utf8');
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, out, err };
}

describe('the forcekit README', () => {
  test('its quick start runs as written in a new project with forcekit and the emulator installed', async () => {
    const readme = await readFile(new URL('../../packages/forcekit/README.md', import.meta.url), 'utf8');
    const code = /```ts\n(\/\/ quickstart\.ts\n[\s\S]*?)```/.exec(readme)?.[1];
    expect(code, 'the README has a quickstart.ts block').toBeDefined();
    const project = await mkdtemp(join(tmpdir(), 'forcekit-quickstart-'));
    cleanup.push(() => rm(project, { recursive: true, force: true }));
    await writeFile(join(project, 'package.json'), '{ "type": "module" }\n');
    await writeFile(join(project, 'quickstart.ts'), code as string);
    // The examples package depends on exactly forcekit and @forcekit/emulator: its node_modules stands in for an install.
    await symlink(
      fileURLToPath(new URL('../node_modules', import.meta.url)),
      join(project, 'node_modules'),
      'dir',
    );
    const result = await runTs('quickstart.ts', project);
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^\d+ \[\n {2}'A/);
    // createMany of 5,000 accounts (one Bulk API 2.0 job) saved every one.
    expect(result.out.trimEnd().split('\n').at(-1)).toBe('5000');
  });
});
