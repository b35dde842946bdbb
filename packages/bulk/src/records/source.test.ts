import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ConfigurationError } from '@forcekit/core';
import { describe, expect, it } from 'vitest';
import { CsvError } from '../errors.js';
import { COLUMN_SAMPLE, prepareInput, type RowBatch, type SourceOptions } from './source.js';

const plain: SourceOptions = { delimiter: ',', idOnly: false };

async function batchesOf(
  input: Parameters<typeof prepareInput>[0],
  options: SourceOptions = plain,
): Promise<RowBatch[]> {
  const out: RowBatch[] = [];
  for await (const batch of prepareInput(input, options).batches) out.push(batch);
  return out;
}

function rowsOf(batches: RowBatch[]): (readonly string[])[] {
  return batches.flatMap((batch) => batch.rows);
}

describe('prepareInput', () => {
  it('writes an array of records under the union of their keys and keeps the array for results', async () => {
    const records = [{ Name: 'a' }, { Name: 'b', Phone: null }, { Phone: '1' }];
    const prepared = prepareInput(records, plain);
    expect(prepared.records).toBe(records);
    const batches = await batchesOf(records);
    expect(batches.every((batch) => batch.header === batches[0]?.header)).toBe(true);
    expect(batches[0]?.header).toEqual(['Name', 'Phone']);
    expect(rowsOf(batches)).toEqual([
      ['a', ''],
      ['b', '#N/A'],
      ['', '1'],
    ]);
  });

  it('writes only the explicit columns, and only Id for deletes', async () => {
    const records = [{ Id: '001000000000001AAA', Name: 'x' }];
    expect((await batchesOf(records, { ...plain, columns: ['Name'] }))[0]?.header).toEqual(['Name']);
    expect(rowsOf(await batchesOf(records, { ...plain, idOnly: true }))).toEqual([['001000000000001AAA']]);
    await expect(batchesOf(records, { ...plain, columns: ['Name', 'Name'] })).rejects.toThrow(
      /names Name twice/,
    );
  });

  it('reads records from an async iterable, a sync iterable and an object-mode Readable', async () => {
    async function* generate() {
      yield { Name: 'a' };
      yield { Name: 'b' };
    }
    function* sync() {
      yield { Name: 'c' };
    }
    expect(rowsOf(await batchesOf(generate()))).toEqual([['a'], ['b']]);
    expect(rowsOf(await batchesOf(sync()))).toEqual([['c']]);
    expect(rowsOf(await batchesOf(Readable.from([{ Name: 'd' }, { Name: 'e' }])))).toEqual([['d'], ['e']]);
  });

  it('widens the header of a stream when a record after the sample brings a new key', async () => {
    const records = Array.from({ length: COLUMN_SAMPLE + 5 }, (_, i) =>
      i === COLUMN_SAMPLE + 2 ? { Name: `n${i}`, Phone: 'p' } : { Name: `n${i}` },
    );
    const batches = await batchesOf(Readable.from(records));
    const headers = [...new Set(batches.map((batch) => batch.header))];
    expect(headers).toEqual([['Name'], ['Name', 'Phone']]);
    const rows = rowsOf(batches);
    expect(rows).toHaveLength(records.length);
    expect(rows[COLUMN_SAMPLE + 1]).toEqual([`n${COLUMN_SAMPLE + 1}`]);
    expect(rows[COLUMN_SAMPLE + 2]).toEqual([`n${COLUMN_SAMPLE + 2}`, 'p']);
    expect(rows[COLUMN_SAMPLE + 3]).toEqual([`n${COLUMN_SAMPLE + 3}`, '']);
  });

  it('settles the columns of a short stream over all of it', async () => {
    const batches = await batchesOf(Readable.from([{ A: '1' }, { B: '2' }]));
    expect(batches.map((batch) => batch.header)).toEqual([['A', 'B']]);
    expect(rowsOf(batches)).toEqual([
      ['1', ''],
      ['', '2'],
    ]);
  });

  it('reads CSV from a string, { csv }, { csvFile } and a byte Readable, in the job dialect', async () => {
    const text = 'Name;Description\na;"x;y"\r\nb;"multi\nline"\n';
    const expected = [
      ['a', 'x;y'],
      ['b', 'multi\nline'],
    ];
    const options = { ...plain, delimiter: ';' };
    const dir = mkdtempSync(join(tmpdir(), 'forcekit-bulk-'));
    const file = join(dir, 'accounts.csv');
    writeFileSync(file, `\uFEFF${text}`);
    for (const input of [
      text,
      { csv: text },
      { csv: Readable.from([Buffer.from(text)]) },
      { csvFile: file },
      Readable.from([Buffer.from(text.slice(0, 9)), Buffer.from(text.slice(9))], { objectMode: false }),
    ]) {
      const batches = await batchesOf(input, options);
      expect(batches[0]?.header).toEqual(['Name', 'Description']);
      expect(rowsOf(batches)).toEqual(expected);
      expect(prepareInput(input, options).records).toBeUndefined();
    }
  });

  it('reads a stream of strings or byte chunks as CSV, whatever its object mode', async () => {
    const expected = [
      ['a', '1'],
      ['b', '2'],
    ];
    expect(rowsOf(await batchesOf(Readable.from(['Name,Phone\na,', '1\nb,2\n'])))).toEqual(expected);
    async function* bytes() {
      yield Buffer.from('Name,Phone\na,1\n');
      yield Buffer.from('b,2\n');
    }
    expect(rowsOf(await batchesOf(bytes()))).toEqual(expected);
  });

  it('names the CSV row whose width differs from the header', async () => {
    const error = await batchesOf('A,B\n1,2\n3\n').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CsvError);
    expect((error as CsvError).row).toBe(3);
  });

  it('refuses what is neither records nor CSV, naming the bad item', async () => {
    expect(() => prepareInput(42 as never, plain)).toThrow(ConfigurationError);
    await expect(batchesOf([{ Name: 'a' }, 'oops'] as never)).rejects.toThrow(
      /records\[1\]: must be a record object/,
    );
    await expect(batchesOf([{ Name: undefined }])).rejects.toThrow(/no fields to load/);
  });
});
