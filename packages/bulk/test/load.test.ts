import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { EXTERNAL_KEY_FIELD } from '../../../test-support/schema.js';
import {
  type BulkRecord,
  type ColumnDelimiter,
  LINE_ENDINGS,
  type LoadInput,
  type LoadResult,
} from '../src/index.js';
import { collect, sentTo, useOrg } from './support.js';

const org = useOrg((emulator) => {
  emulator.org.defineField('Account', EXTERNAL_KEY_FIELD);
});

interface AccountRow {
  Id: string;
  Name: string | null;
  Phone: string | null;
  Ext__c: string | null;
}

async function accounts(where = ''): Promise<AccountRow[]> {
  const rows = await collect(
    org.bulk.query<AccountRow>(`SELECT Id, Name, Phone, Ext__c FROM Account ${where} ORDER BY Name`),
  );
  return rows;
}

function expectAllSucceeded<T>(result: LoadResult<T>, total: number): void {
  expect(result.summary).toMatchObject({ total, succeeded: total, failed: 0, unprocessed: 0 });
  expect(result.rows.map((row) => row.index)).toEqual([...Array(total).keys()]);
}

describe('load: operations', () => {
  it('inserts records and returns each row with its new Id, in input order, pointing at the input object', async () => {
    const input = [
      { Name: 'Acme', Phone: '555-0100' },
      { Name: 'Globex', Ext__c: 'G-1' },
    ];
    const result = await org.bulk.load('Account', 'insert', input);
    expectAllSucceeded(result, 2);
    expect(result.summary.created).toBe(2);
    expect(result.summary.jobs).toBe(1);
    const [first, second] = result.successes;
    expect(first?.record).toBe(input[0]);
    expect(first?.fields).toEqual({ Name: 'Acme', Phone: '555-0100', Ext__c: '' });
    expect(second?.id).toMatch(/^001[A-Za-z0-9]{15}$/);
    expect(result.jobs[0]).toMatchObject({
      kind: 'ingest',
      state: 'JobComplete',
      object: 'Account',
      operation: 'insert',
    });
    expect(await accounts()).toEqual([
      { Id: first?.id, Name: 'Acme', Phone: '555-0100', Ext__c: null },
      { Id: second?.id, Name: 'Globex', Phone: null, Ext__c: 'G-1' },
    ]);
  });

  it('updates by Id, clearing a field with null (#N/A) and leaving a missing one alone', async () => {
    const created = await org.bulk.load('Account', 'insert', [
      { Name: 'One', Phone: '1', Ext__c: 'E1' },
      { Name: 'Two', Phone: '2', Ext__c: 'E2' },
    ]);
    const [one, two] = created.successes.map((row) => row.id);
    const result = await org.bulk.load('Account', 'update', [
      { Id: one, Phone: null },
      { Id: two, Name: 'Two (renamed)' },
    ]);
    expectAllSucceeded(result, 2);
    expect(result.summary.created).toBe(0);
    expect(result.successes.map((row) => [row.id, row.created])).toEqual([
      [one, false],
      [two, false],
    ]);
    expect(await accounts()).toEqual([
      { Id: one, Name: 'One', Phone: null, Ext__c: 'E1' },
      { Id: two, Name: 'Two (renamed)', Phone: '2', Ext__c: 'E2' },
    ]);
  });

  it('upserts by external id: existing rows update, new ones are created', async () => {
    await org.bulk.load('Account', 'insert', [{ Name: 'Old', Ext__c: 'K1' }]);
    const result = await org.bulk.load(
      'Account',
      'upsert',
      [
        { Ext__c: 'K1', Name: 'Old (upserted)' },
        { Ext__c: 'K2', Name: 'New' },
      ],
      { externalIdField: 'Ext__c' },
    );
    expectAllSucceeded(result, 2);
    expect(result.successes.map((row) => row.created)).toEqual([false, true]);
    expect(sentTo(org.sent, 'POST', 'jobs/ingest').length).toBe(2);
    expect((await accounts()).map((row) => [row.Ext__c, row.Name])).toEqual([
      ['K2', 'New'],
      ['K1', 'Old (upserted)'],
    ]);
  });

  it('sets a lookup through the parent external id (Account.Ext__c), from nested objects', async () => {
    await org.bulk.load('Account', 'insert', [{ Name: 'Parent', Ext__c: 'P-1' }]);
    const result = await org.bulk.load('Contact', 'insert', [
      { LastName: 'Nested', Account: { Ext__c: 'P-1' } },
      { LastName: 'Flat', 'Account.Ext__c': 'P-1' },
      { LastName: 'Orphan', Account: { Ext__c: 'NOPE' } },
    ]);
    expect(result.summary).toMatchObject({ succeeded: 2, failed: 1 });
    expect(result.failures[0]).toMatchObject({
      index: 2,
      fields: { LastName: 'Orphan', 'Account.Ext__c': 'NOPE' },
    });
    const contacts = await collect(
      org.bulk.query(
        "SELECT LastName, Account.Name FROM Contact WHERE Account.Ext__c = 'P-1' ORDER BY LastName",
      ),
    );
    expect(contacts).toEqual([
      { LastName: 'Flat', 'Account.Name': 'Parent' },
      { LastName: 'Nested', 'Account.Name': 'Parent' },
    ]);
  });

  it('deletes and hard-deletes by Id, writing only the Id column', async () => {
    const created = await org.bulk.load('Account', 'insert', [
      { Name: 'D1' },
      { Name: 'D2' },
      { Name: 'D3' },
    ]);
    const ids = created.successes.map((row) => row.id);
    org.sent.length = 0;
    const deleted = await org.bulk.load('Account', 'delete', [{ Id: ids[0], Name: 'D1' }]);
    const hard = await org.bulk.load(
      'Account',
      'hardDelete',
      ids.slice(1).map((Id) => ({ Id })),
    );
    expectAllSucceeded(deleted, 1);
    expectAllSucceeded(hard, 2);
    expect(deleted.successes[0]?.fields).toEqual({ Id: ids[0] });
    const bodies = sentTo(org.sent, 'POST', 'jobs/ingest');
    expect(bodies).toHaveLength(2);
    expect(await accounts()).toEqual([]);
    // A delete goes to the recycle bin (queryAll still sees it); a hard delete skips it.
    const all = await collect(org.bulk.query('SELECT Id, IsDeleted FROM Account', { all: true }));
    expect(all).toEqual([{ Id: ids[0], IsDeleted: 'true' }]);
  });

  it('reports a failed update with the record Id and the parsed error', async () => {
    const result = await org.bulk.load('Account', 'update', [{ Id: '001000000000000AAA', Name: 'Ghost' }]);
    expect(result.summary).toMatchObject({ failed: 1, succeeded: 0 });
    const failure = result.failures[0];
    expect(failure?.id).toBe('001000000000000AAA');
    expect(failure?.error.code).toMatch(/^[A-Z_]+$/);
    expect(failure?.error.text).toContain(failure?.error.code);
  });
});

describe('load: input kinds', () => {
  const csv = 'Name,Phone\r\nCsv One,"555-0101"\r\n"Csv, Two",\r\n';
  const records = [{ Name: 'Rec One', Phone: '555-0101' }, { Name: 'Rec Two' }];

  async function* asyncRecords() {
    yield* records;
  }

  function file(): string {
    const dir = mkdtempSync(join(tmpdir(), 'forcekit-bulk-load-'));
    const path = join(dir, 'accounts.csv');
    writeFileSync(path, `\uFEFF${csv}`);
    return path;
  }

  const kinds: [string, () => LoadInput<BulkRecord>, string[]][] = [
    ['an array', () => records, ['Rec One', 'Rec Two']],
    ['a sync iterable', () => new Set(records), ['Rec One', 'Rec Two']],
    ['an async iterable', () => asyncRecords(), ['Rec One', 'Rec Two']],
    ['an object-mode Readable', () => Readable.from(records), ['Rec One', 'Rec Two']],
    ['a CSV string', () => csv, ['Csv One', 'Csv, Two']],
    ['{ csv: string }', () => ({ csv }), ['Csv One', 'Csv, Two']],
    [
      '{ csv: stream }',
      () => ({ csv: Readable.from([Buffer.from(csv.slice(0, 7)), Buffer.from(csv.slice(7))]) }),
      ['Csv One', 'Csv, Two'],
    ],
    ['{ csvFile }', () => ({ csvFile: file() }), ['Csv One', 'Csv, Two']],
    [
      'a byte Readable of CSV',
      () => Readable.from([Buffer.from(csv)], { objectMode: false }),
      ['Csv One', 'Csv, Two'],
    ],
  ];

  it.each(kinds)('loads %s', async (_kind, input, names) => {
    const result = await org.bulk.load('Account', 'insert', input());
    expectAllSucceeded(result, 2);
    expect(result.rows.map((row) => row.fields?.Name)).toEqual(names);
    expect((await accounts()).map((row) => [row.Name, row.Phone])).toEqual(
      names.map((name, i) => [name, i === 0 ? '555-0101' : null]),
    );
    const upload = sentTo(org.sent, 'PUT', 'jobs/ingest');
    expect(upload).toHaveLength(1);
    expect(upload[0]?.headers['content-type']).toBe('text/csv');
  });

  it('loads nothing and creates no job for an empty input', async () => {
    const result = await org.bulk.load('Account', 'insert', []);
    expect(result.summary).toMatchObject({ total: 0, jobs: 0 });
    const header = await org.bulk.load('Account', 'insert', 'Name\n');
    expect(header.summary.total).toBe(0);
    expect(org.sent).toEqual([]);
  });
});

describe('load: values and dialects', () => {
  it('round-trips awkward text: quotes, delimiters, line breaks, unicode, leading spaces', async () => {
    const names = ['say "hi"', 'a,b;c|d^e`f\tg', 'line 1\nline 2\r\nline 3', 'émoji 😀', '  padded  '];
    const result = await org.bulk.load(
      'Account',
      'insert',
      names.map((Name) => ({ Name })),
    );
    expectAllSucceeded(result, names.length);
    expect(result.rows.map((row) => row.fields?.Name)).toEqual(names);
    const stored = await collect(org.bulk.query<{ Name: string }>('SELECT Name FROM Account'));
    expect(stored.map((row) => row.Name).sort()).toEqual([...names].sort());
  });

  const dialects: [ColumnDelimiter, 'LF' | 'CRLF'][] = [
    ['COMMA', 'LF'],
    ['SEMICOLON', 'CRLF'],
    ['TAB', 'LF'],
    ['PIPE', 'CRLF'],
    ['CARET', 'LF'],
    ['BACKQUOTE', 'CRLF'],
  ];

  it.each(dialects)(
    'uploads and queries with columnDelimiter %s and lineEnding %s',
    async (columnDelimiter, lineEnding) => {
      const names = ['plain', 'with , ; \t | ^ ` all', 'two\nlines'];
      const result = await org.bulk.load(
        'Account',
        'insert',
        names.map((Name, i) => ({ Name, NumberOfEmployees: i })),
        { columnDelimiter, lineEnding },
      );
      expectAllSucceeded(result, 3);
      expect(result.jobs[0]).toMatchObject({ columnDelimiter, lineEnding });
      const stored = await collect(
        org.bulk.query('SELECT Name, NumberOfEmployees FROM Account ORDER BY NumberOfEmployees', {
          columnDelimiter,
          lineEnding,
          types: { NumberOfEmployees: 'number' },
        }),
      );
      expect(stored).toEqual(names.map((Name, i) => ({ Name, NumberOfEmployees: i })));
      const csvOut: string[] = [];
      const { Writable } = await import('node:stream');
      await org.bulk
        .query('SELECT Name FROM Account ORDER BY NumberOfEmployees', { columnDelimiter, lineEnding })
        .toCSV(
          new Writable({
            write(chunk: Buffer, _encoding, callback) {
              csvOut.push(chunk.toString());
              callback();
            },
          }),
        );
      expect(csvOut.join('').endsWith(LINE_ENDINGS[lineEnding])).toBe(true);
    },
  );

  it('reads CSV input in the job delimiter', async () => {
    const result = await org.bulk.load('Account', 'insert', 'Name|Phone\nPiped|"1|2"\n', {
      columnDelimiter: 'PIPE',
    });
    expectAllSucceeded(result, 1);
    expect((await accounts())[0]).toMatchObject({ Name: 'Piped', Phone: '1|2' });
  });

  it('writes booleans, numbers, dates and datetimes the way Salesforce reads them', async () => {
    const result = await org.bulk.load('Opportunity', 'insert', [
      {
        Name: 'Deal',
        StageName: 'Prospecting',
        CloseDate: '2024-06-30',
        Amount: 1234.5,
        IsPrivate: true,
      },
    ]);
    expectAllSucceeded(result, 1);
    const [row] = await collect(
      org.bulk.query('SELECT Name, CloseDate, Amount, IsPrivate FROM Opportunity', {
        types: { Amount: 'number', IsPrivate: 'boolean' },
      }),
    );
    expect(row).toEqual({ Name: 'Deal', CloseDate: '2024-06-30', Amount: 1234.5, IsPrivate: true });
  });
});
