import type { Connection } from 'jsforce';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import { jsforceConnection } from './support/jsforce.js';

// jsforce 3.10.16 is an independent client: if its Bulk 2.0 and classic bulk calls work against the
// emulator, the bulk endpoints speak Salesforce's wire format as a real client expects it.
let emulator: Emulator;
let conn: Connection;

beforeAll(async () => {
  emulator = await startEmulator();
  conn = jsforceConnection(emulator);
  conn.bulk.pollInterval = 20;
  conn.bulk.pollTimeout = 20_000;
});
afterAll(() => emulator.stop());
beforeEach(() => emulator.org.reset());

/** Collects a jsforce record stream (it starts parsing once a `record` listener is attached). */
function collect(stream: NodeJS.ReadableStream): Promise<Record<string, unknown>[]> {
  return new Promise((resolve, reject) => {
    const records: Record<string, unknown>[] = [];
    stream.on('record', (record: Record<string, unknown>) => records.push(record));
    stream.on('end', () => resolve(records));
    stream.on('error', reject);
  });
}

/** jsforce closes a classic job in the background once its batch answered: wait for it. */
async function closed(): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (emulator.org.bulk.jobs().every((job) => job.jobType !== 'Classic' || job.state === 'Closed')) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('jsforce never closed its classic job');
}

describe('jsforce 3.10.16 bulk calls against the emulator', () => {
  it('bulk2.loadAndWaitForResults inserts records and returns successes and failures', async () => {
    // jsforce takes the CSV header from the first record's keys.
    const input = [
      { Name: 'jsforce One', Phone: '10' },
      { Name: 'jsforce Two', Phone: '555' },
      { Name: null, Phone: 'no name' },
    ];
    const results = await conn.bulk2.loadAndWaitForResults({
      object: 'Account',
      operation: 'insert',
      input,
      pollInterval: 20,
      pollTimeout: 20_000,
    });
    expect(results.successfulResults).toHaveLength(2);
    expect(results.failedResults).toHaveLength(1);
    expect(results.unprocessedRecords).toHaveLength(0);
    for (const success of results.successfulResults) {
      expect(success.sf__Id).toMatch(/^001[A-Za-z0-9]{15}$/);
      expect(success.sf__Created).toBe('true');
    }
    expect(results.failedResults[0]).toMatchObject({
      sf__Id: '',
      sf__Error: 'REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --',
      Phone: 'no name',
    });
    expect(emulator.org.records('Account').map((a) => a.Name)).toEqual(['jsforce One', 'jsforce Two']);
  });

  it('bulk2.loadAndWaitForResults updates from CSV text', async () => {
    const [a] = emulator.org.insert('Account', [{ Name: 'Before' }]);
    const results = await conn.bulk2.loadAndWaitForResults({
      object: 'Account',
      operation: 'update',
      input: `Id,Name\n${a?.Id},After\n`,
      pollInterval: 20,
      pollTimeout: 20_000,
    });
    expect(results.successfulResults).toEqual([
      expect.objectContaining({ sf__Id: a?.Id, sf__Created: 'false', Name: 'After' }),
    ]);
    expect(emulator.org.records('Account')[0]?.Name).toBe('After');
  });

  it('bulk2.query follows the Sforce-Locator chunks and yields every record', async () => {
    emulator.org.bulk.configure({ defaultMaxRecords: 500 });
    emulator.org.generate('Account', 1234, { Name: (i: number) => `Bulk ${String(i).padStart(4, '0')}` });
    const stream = await conn.bulk2.query('SELECT Id, Name FROM Account ORDER BY Name', {
      pollInterval: 20,
      pollTimeout: 20_000,
    });
    const all = await collect(stream);
    // Every results chunk starts with its header row, as Salesforce writes them; jsforce 3.10.16 pipes
    // the chunks into one CSV parser, so the header rows of chunks 2 and 3 come out as records.
    const headers = all.filter((r) => r.Id === 'Id' && r.Name === 'Name');
    expect(headers).toHaveLength(2);
    const records = all.filter((r) => r.Id !== 'Id');
    expect(records).toHaveLength(1234);
    expect(records[0]).toMatchObject({ Name: 'Bulk 0000', Id: expect.stringMatching(/^001/) });
    expect(records.at(-1)?.Name).toBe('Bulk 1233');
    expect(new Set(records.map((r) => r.Id)).size).toBe(1234);
  });

  it('classic bulk.load inserts records through a job and a CSV batch', async () => {
    const batch = conn.bulk.load('Account', 'insert', [
      { Name: 'Classic One', Website: 'one.example' },
      { Name: 'Classic Two', Website: 'two.example' },
      { Name: null, Website: 'x.example' },
    ]);
    const results = (await batch) as {
      id: string | null;
      success: boolean;
      created: boolean;
      errors: string[];
    }[];
    expect(results.map((r) => r.success)).toEqual([true, true, false]);
    expect(results[0]?.id).toMatch(/^001/);
    expect(results[2]?.errors[0]).toBe('REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --');
    expect(emulator.org.records('Account').map((a) => a.Name)).toEqual(['Classic One', 'Classic Two']);
    await closed();
  });

  it('classic bulk.query reads its result files', async () => {
    emulator.org.insert('Account', [{ Name: 'Q1' }, { Name: 'Q2' }]);
    const records = await collect(await conn.bulk.query('SELECT Id, Name FROM Account ORDER BY Name'));
    expect(records.map((r) => r.Name)).toEqual(['Q1', 'Q2']);
    await closed();
  });
});
