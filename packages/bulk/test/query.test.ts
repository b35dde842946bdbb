import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { AbortError, BadRequestError } from '@forcekit/core';
import { from } from '@forcekit/soql';
import { describe, expect, it } from 'vitest';
import { BulkJobError } from '../src/index.js';
import { collect, rejectionOf, sentTo, useOrg } from './support.js';

const org = useOrg();

function seed(n: number): void {
  org.emulator.org.generate('Account', n, {
    Name: (i: number) => `Q${String(i).padStart(5, '0')}`,
    NumberOfEmployees: (i: number) => i,
  });
}

/** A Writable that keeps what it is given. */
function sink(): { stream: Writable; text(): string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

describe('bulk query', () => {
  it('streams records as strings with empty values as null, creating one job', async () => {
    await org.bulk.load('Account', 'insert', [
      { Name: 'With phone', Phone: '555', NumberOfEmployees: 12 },
      { Name: 'Without phone' },
    ]);
    org.sent.length = 0;
    const query = org.bulk.query('SELECT Name, Phone, NumberOfEmployees FROM Account ORDER BY Name');
    expect(query.jobId).toBeUndefined();
    expect(org.sent).toEqual([]);
    const rows = await collect(query);
    expect(rows).toEqual([
      { Name: 'With phone', Phone: '555', NumberOfEmployees: '12' },
      { Name: 'Without phone', Phone: null, NumberOfEmployees: null },
    ]);
    expect(query.jobId).toMatch(/^750/);
    const create = sentTo(org.sent, 'POST', 'jobs/query');
    expect(create).toHaveLength(1);
    // Reading again reuses the finished job's results.
    expect(await collect(query)).toEqual(rows);
    expect(sentTo(org.sent, 'POST', 'jobs/query')).toHaveLength(1);
  });

  it('converts the columns named in types, leaving the rest as text', async () => {
    await org.bulk.load('Opportunity', 'insert', [
      { Name: 'Deal', StageName: 'Closed Won', CloseDate: '2024-01-31', Amount: 10.5, IsPrivate: false },
    ]);
    const [row] = await collect(
      org.bulk.query<Record<string, unknown>>(
        'SELECT Name, Amount, IsPrivate, CreatedDate, CloseDate FROM Opportunity',
        {
          types: { Amount: 'number', IsPrivate: 'boolean', CreatedDate: 'datetime' },
        },
      ),
    );
    expect(row?.Amount).toBe(10.5);
    expect(row?.IsPrivate).toBe(false);
    const created = row?.CreatedDate;
    expect(created).toBeInstanceOf(Date);
    expect(Number.isNaN((created as Date).getTime())).toBe(false);
    expect(row?.CloseDate).toBe('2024-01-31');
  });

  it('accepts a query builder (anything with toSOQL)', async () => {
    seed(30);
    const builder = from('Account')
      .find({ NumberOfEmployees: { $lt: 3 } }, ['Name'])
      .sort('Name');
    expect(await collect(org.bulk.query(builder))).toEqual([
      { Name: 'Q00000' },
      { Name: 'Q00001' },
      { Name: 'Q00002' },
    ]);
  });

  it('follows Sforce-Locator pages until the literal null, asking maxRecords per page', async () => {
    seed(2500);
    const rows = await collect(
      org.bulk.query('SELECT Name FROM Account ORDER BY Name', { maxRecords: 1000 }),
    );
    expect(rows).toHaveLength(2500);
    expect(rows[0]).toEqual({ Name: 'Q00000' });
    expect(rows[2499]).toEqual({ Name: 'Q02499' });
    const pages = org.sent.filter((request) => request.path.includes('/results'));
    expect(pages).toHaveLength(3);
    expect(pages.map((page) => new URL(page.path, 'http://x').searchParams.get('maxRecords'))).toEqual([
      '1000',
      '1000',
      '1000',
    ]);
    expect(new URL(pages[0]?.path as string, 'http://x').searchParams.has('locator')).toBe(false);
    expect(new URL(pages[1]?.path as string, 'http://x').searchParams.get('locator')).toBeTruthy();
  });

  it('downloads pages in parallel and still yields every record in order', async () => {
    seed(3000);
    const rows = await collect(
      org.bulk.query('SELECT Name, NumberOfEmployees FROM Account ORDER BY Name', {
        maxRecords: 500,
        parallel: 3,
        types: { NumberOfEmployees: 'number' },
      }),
    );
    expect(rows.map((row) => row.NumberOfEmployees)).toEqual([...Array(3000).keys()]);
    expect(org.sent.filter((request) => request.path.includes('/results'))).toHaveLength(6);
  });

  it('yields records in arrays from batches()', async () => {
    seed(1200);
    let count = 0;
    let arrays = 0;
    for await (const batch of org.bulk.query('SELECT Id FROM Account').batches()) {
      arrays++;
      count += batch.length;
    }
    expect(count).toBe(1200);
    expect(arrays).toBeLessThan(1200);
  });

  it('includes deleted records with all: true (queryAll)', async () => {
    const created = await org.bulk.load('Account', 'insert', [{ Name: 'Kept' }, { Name: 'Gone' }]);
    await org.bulk.load('Account', 'delete', [{ Id: created.successes[1]?.id }]);
    const soql = 'SELECT Name, IsDeleted FROM Account ORDER BY Name';
    expect(await collect(org.bulk.query(soql))).toEqual([{ Name: 'Kept', IsDeleted: 'false' }]);
    expect(await collect(org.bulk.query(soql, { all: true }))).toEqual([
      { Name: 'Gone', IsDeleted: 'true' },
      { Name: 'Kept', IsDeleted: 'false' },
    ]);
  });

  it('writes the results to a CSV file without parsing, with one header for every page', async () => {
    seed(2100);
    const dir = mkdtempSync(join(tmpdir(), 'forcekit-bulk-csv-'));
    const path = join(dir, 'accounts.csv');
    const written = await org.bulk
      .query('SELECT Name, NumberOfEmployees FROM Account ORDER BY Name', { maxRecords: 1000 })
      .toCSV(path);
    const text = readFileSync(path, 'utf8');
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(2101);
    expect(lines[0]).toBe('"Name","NumberOfEmployees"');
    expect(lines.filter((line) => line.startsWith('"Name"'))).toHaveLength(1);
    expect(lines[2100]).toBe('"Q02099","2099"');
    expect(written).toEqual({ rows: 2100, bytes: Buffer.byteLength(text) });
  });

  it('writes to a stream and leaves it open with end: false', async () => {
    seed(3);
    const out = sink();
    await org.bulk.query('SELECT Name FROM Account ORDER BY Name').toCSV(out.stream, { end: false });
    expect(out.stream.writableEnded).toBe(false);
    out.stream.end();
    expect(out.text()).toBe('"Name"\n"Q00000"\n"Q00001"\n"Q00002"\n');
  });

  it('throws BulkJobError naming the job when the query job fails', async () => {
    seed(10);
    org.emulator.org.bulk.failNextJob({ afterRows: 5, errorMessage: 'InternalServerError : query broke' });
    const error = await rejectionOf(collect(org.bulk.query('SELECT Id FROM Account')));
    expect(error).toBeInstanceOf(BulkJobError);
    // (The emulator's query job info carries no errorMessage; an ingest job's does.)
    expect(error).toMatchObject({ code: 'JOB_FAILED', state: 'Failed' });
    expect(error.message).toMatch(/^Bulk job 750\w+ ended Failed/);
  });

  it('refuses SOQL the server rejects, with its error code', async () => {
    const error = await rejectionOf(collect(org.bulk.query('SELECT Nope__c FROM Account')));
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).code).toBe('INVALID_FIELD');
  });

  it('aborts the job on the server when the signal fires while it waits', async () => {
    seed(5);
    org.emulator.org.bulk.pause();
    const controller = new AbortController();
    const query = org.bulk.query('SELECT Id FROM Account', { signal: controller.signal });
    const reading = collect(query);
    await new Promise((resolve) => setTimeout(resolve, 30));
    controller.abort();
    expect(await rejectionOf(reading)).toBeInstanceOf(AbortError);
    expect(org.emulator.org.bulk.jobs().find((job) => job.id === query.jobId)?.state).toBe('Aborted');
  });

  it('reads an existing query job again with bulk.job(id).query() (resume)', async () => {
    seed(40);
    org.emulator.org.bulk.pause();
    const first = org.bulk.query('SELECT Name FROM Account ORDER BY Name', { pollTimeout: 30 });
    const timedOut = await rejectionOf(collect(first));
    expect(timedOut).toMatchObject({ code: 'POLL_TIMEOUT', jobId: first.jobId });
    org.emulator.org.bulk.resume();
    const resumed = org.bulk.job(first.jobId as string);
    expect(await resumed.kind()).toBe('query');
    const rows = await collect(resumed.query());
    expect(rows).toHaveLength(40);
    expect(rows[39]).toEqual({ Name: 'Q00039' });
    const out = sink();
    await resumed.query().toCSV(out.stream);
    expect(out.text().split('\n')).toHaveLength(42);
  });

  it('names a bad option', () => {
    expect(() => org.bulk.query('SELECT Id FROM Account', { parallel: 9 })).toThrow(
      /parallel: must be from 1 to 8/,
    );
    expect(() => org.bulk.query('SELECT Id FROM Account', { types: { Id: 'uuid' as never } })).toThrow(
      /types\.Id/,
    );
    expect(() => org.bulk.query('  ')).toThrow(/soql: must be a SOQL string/);
  });
});
