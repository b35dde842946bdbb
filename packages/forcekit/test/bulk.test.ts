import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BatchInfo, Bulk, ConfigurationError } from 'forcekit';
import { describe, expect, test } from 'vitest';
import { useOrg } from './org.js';

const org = useOrg();

describe('conn.bulk', () => {
  test('is a Bulk bound to the connection: load returns one outcome per input row', async () => {
    const conn = org.connect();
    expect(conn.bulk).toBeInstanceOf(Bulk);
    expect(conn.bulk).toBe(conn.bulk);
    expect(conn.bulk.requester).toBe(conn.requester);
    const accounts = Array.from({ length: 1_000 }, (_, i) =>
      i % 100 === 99 ? { Phone: `555-${i}` } : { Name: `Bulk ${i}`, Phone: `555-${i}` },
    );
    const result = await conn.bulk.load('Account', 'insert', accounts);
    expect(result.summary).toMatchObject({ total: 1_000, succeeded: 990, failed: 10, unprocessed: 0 });
    expect(result.rows.map((row) => row.index)).toEqual(accounts.map((_, i) => i));
    const failure = result.rows[99];
    expect(failure?.status).toBe('failure');
    expect(failure?.status === 'failure' && failure.error).toMatchObject({
      code: 'REQUIRED_FIELD_MISSING',
      fields: ['Name'],
    });
    expect(failure?.record).toBe(accounts[99]);
    const stored = org.emulator.org.records('Account');
    expect(stored).toHaveLength(990);
    const first = result.rows[0];
    expect(first?.status === 'success' && stored.find((a) => a.Id === first.id)?.Name).toBe('Bulk 0');
  });

  test('query streams records page by page, and toCSV writes the CSV to a file', async () => {
    const conn = org.connect();
    org.emulator.org.generate('Account', 2_500);
    let rows = 0;
    const names = new Set<string>();
    for await (const row of conn.bulk.query('SELECT Id, Name FROM Account', { maxRecords: 1_000 })) {
      rows++;
      names.add(String(row.Name));
    }
    expect(rows).toBe(2_500);
    expect(names.size).toBeGreaterThan(1);
    const pages = org.emulator.org.requests.entries({
      method: 'GET',
      path: /\/jobs\/query\/[^/]+\/results$/,
    });
    expect(pages).toHaveLength(3);

    const dir = await mkdtemp(join(tmpdir(), 'forcekit-bulk-'));
    try {
      const file = join(dir, 'accounts.csv');
      const written = await conn.bulk
        .query(conn.sobject('Account').select(['Id', 'Name']).sort('Name'))
        .toCSV(file);
      const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
      expect(written.rows).toBe(2_500);
      expect(lines).toHaveLength(2_501);
      expect(lines[0]).toBe('"Id","Name"');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('the classic job/batch flow of the node-salesforce seed, and checking a batch later', async () => {
    const conn = org.connect();
    const job = conn.bulk.createJob('Account', 'insert');
    const batch = job.createBatch();
    const queued = new Promise<BatchInfo>((resolve) => batch.once('queue', resolve));
    const results = await batch.execute([{ Name: 'Classic 1' }, { Name: 'Classic 2' }, { Phone: 'no name' }]);
    expect((await queued).jobId).toBe(job.id);
    expect(results.map((r) => r.success)).toEqual([true, true, false]);
    expect(results[2]?.errors.join(' ')).toMatch(/REQUIRED_FIELD_MISSING/);
    await job.close();

    // Another connection, knowing only the ids, reads the same results.
    const later = org.connect();
    const again = await later.bulk
      .job(job.id as string)
      .batch(batch.id as string)
      .retrieve();
    expect(again.map((r) => r.id)).toEqual(results.map((r) => r.id));
    expect((await later.bulk.job(job.id as string).info()).state).toBe('Closed');
  });

  test('conn.as(session).bulk signs every bulk request with that user’s session', async () => {
    const conn = org.multiUser();
    const c = org.emulator.credentials;
    const analyst = org.emulator.org.createUser({ username: 'bulk.analyst@emulator.forcekit.dev' });
    const session = await conn.login(analyst.username, analyst.password + analyst.securityToken);
    const view = conn.as(session);
    expect(view.bulk.requester).toBe(view.requester);
    expect(view.bulk).not.toBe(conn.bulk);

    const result = await view.bulk.load('Account', 'insert', [{ Name: 'Analyst 1' }, { Name: 'Analyst 2' }]);
    expect(result.summary.succeeded).toBe(2);
    expect(org.emulator.org.records('Account').map((a) => a.OwnerId)).toEqual([
      analyst.userId,
      analyst.userId,
    ]);
    const callers = new Set(
      org.emulator.org.requests.entries({ path: /\/jobs\/ingest/ }).map((entry) => entry.userId),
    );
    expect([...callers]).toEqual([analyst.userId]);
    expect(c.userId).not.toBe(analyst.userId);
    // The connection itself has no session in multi-user mode.
    await expect(conn.bulk.load('Account', 'insert', [{ Name: 'x' }])).rejects.toThrow(/session/i);
  });

  test('bad bulk defaults and a bad bulkThreshold are refused when the connection is made, by name', () => {
    expect(() => org.connect({ bulk: { pollInterval: 0 } })).toThrow(ConfigurationError);
    expect(() => org.connect({ bulk: { pollInterval: 0 } })).toThrow(/pollInterval/);
    expect(() => org.connect({ bulkThreshold: -1 })).toThrow(/bulkThreshold/);
    expect(() => org.connect({ bulkThreshold: 1.5 })).toThrow(/bulkThreshold/);
    expect(() => org.connect({ bulkThreshold: Number.POSITIVE_INFINITY })).not.toThrow();
  });
});
