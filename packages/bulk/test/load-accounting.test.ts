import { Readable } from 'node:stream';
import { AbortError } from '@forcekit/core';
import { describe, expect, it } from 'vitest';
import { BulkLoadError, type LoadProgress, PollTimeoutError } from '../src/index.js';
import { collect, rejectionOf, sentTo, useOrg } from './support.js';

const org = useOrg();

/** Every row index exactly once, in order (one assertion, however many rows). */
function expectEveryRowOnce(rows: readonly { index: number }[], total: number): void {
  expect(rows).toHaveLength(total);
  const misplaced = rows.findIndex((row, i) => row.index !== i);
  expect(misplaced, 'position of the first row whose index is not its position').toBe(-1);
}

/** How many `problems` there are and the first ten of them, for one assertion with a readable failure. */
function firstProblems(problems: readonly string[]): { readonly count: number; readonly first: string[] } {
  return { count: problems.length, first: problems.slice(0, 10) };
}

describe('load accounting', () => {
  it('accounts for 100,000 rows one by one: successes, failures, split over several jobs', async () => {
    const total = 100_000;
    // Every 7th row has no Name: Salesforce refuses it with REQUIRED_FIELD_MISSING.
    const input = Array.from({ length: total }, (_, i) =>
      i % 7 === 3 ? { Phone: `p${i}` } : { Name: `Row ${i}`, Phone: `p${i}` },
    );
    const progress: LoadProgress[] = [];
    const result = await org.bulk.load('Account', 'insert', input, {
      maxBytesPerJob: 800_000,
      onProgress: (event) => progress.push(event),
    });

    const expectedFailures = input.filter((_, i) => i % 7 === 3).length;
    expect(result.summary).toEqual({
      total,
      succeeded: total - expectedFailures,
      failed: expectedFailures,
      unprocessed: 0,
      created: total - expectedFailures,
      jobs: result.jobs.length,
      matchedByPosition: 0,
    });
    // About 1.5 MB of CSV under an 800 kB limit.
    expect(result.jobs.length).toBeGreaterThanOrEqual(2);
    expect(new Set(result.jobs.map((job) => job.id)).size).toBe(result.jobs.length);
    expectEveryRowOnce(result.rows, total);
    // Every row checked, but as one assertion: 100,000 rows x 4 expect() calls took most of the test.
    const wrongRows: string[] = [];
    for (const row of result.rows) {
      const status = row.index % 7 === 3 ? 'failure' : 'success';
      if (row.status !== status) wrongRows.push(`row ${row.index}: ${row.status}, expected ${status}`);
      if (row.record !== input[row.index]) wrongRows.push(`row ${row.index}: not its input record`);
      if (row.fields?.Phone !== `p${row.index}`)
        wrongRows.push(`row ${row.index}: Phone ${row.fields?.Phone}`);
      if (row.status === 'failure' && row.error.code !== 'REQUIRED_FIELD_MISSING') {
        wrongRows.push(`row ${row.index}: error ${row.error.code}`);
      }
    }
    expect(firstProblems(wrongRows)).toEqual({ count: 0, first: [] });
    const ids = result.successes.map((row) => row.id);
    expect(new Set(ids).size).toBe(ids.length);

    // Each job's upload stayed under the limit and rows were counted once across jobs.
    const uploads = sentTo(org.sent, 'PUT', 'jobs/ingest');
    expect(uploads).toHaveLength(result.jobs.length);
    const last = progress[progress.length - 1];
    expect(last).toMatchObject({
      rowsUploaded: total,
      uploadComplete: true,
      rowsProcessed: total,
      rowsFailed: expectedFailures,
    });
    expect(last?.jobIds).toEqual(result.jobs.map((job) => job.id));
    const backwards = progress.findIndex(
      (event, i) => i > 0 && event.rowsUploaded < (progress[i - 1] as LoadProgress).rowsUploaded,
    );
    expect(backwards, 'first progress event whose rowsUploaded went down').toBe(-1);
    const stored = await collect(org.bulk.query('SELECT Id FROM Account'));
    expect(stored).toHaveLength(total - expectedFailures);
  }, 60_000);

  it('splits by rows per job and by the byte limit the server enforces', async () => {
    org.emulator.org.bulk.configure({ uploadLimitBytes: 4000 });
    // 400 rows of 10 bytes: 4005 bytes of CSV with the header. 3000 raw bytes are 4000 base64, the
    // server's limit exactly, so two jobs.
    const input = Array.from({ length: 400 }, (_, i) => ({ Name: `Split ${String(i).padStart(3, '0')}` }));
    const byBytes = await org.bulk.load('Account', 'insert', input, { maxBytesPerJob: 3000 });
    expect(byBytes.summary).toMatchObject({ total: 400, succeeded: 400 });
    expect(byBytes.jobs.length).toBe(2);
    expectEveryRowOnce(byBytes.rows, 400);
    const byRows = await org.bulk.load('Account', 'insert', input.slice(0, 10), { maxRowsPerJob: 4 });
    expect(byRows.jobs.map((job) => job.numberRecordsProcessed)).toEqual([4, 4, 2]);
    expectEveryRowOnce(byRows.rows, 10);
  });

  it('fails with the server error when an upload exceeds the server limit, aborting the open job', async () => {
    org.emulator.org.bulk.configure({ uploadLimitBytes: 400 });
    const input = Array.from({ length: 100 }, (_, i) => ({ Name: `Too big ${i}` }));
    const error = await rejectionOf(org.bulk.load('Account', 'insert', input));
    expect(error).toBeInstanceOf(BulkLoadError);
    expect((error as BulkLoadError).code).toBe('INVALIDBATCH');
    const [jobId] = (error as BulkLoadError).jobIds;
    expect(org.emulator.org.bulk.jobs().find((job) => job.id === jobId)?.state).toBe('Aborted');
  });

  it('gives identical rows one outcome each (duplicates are counted, not merged)', async () => {
    const input = [{ Name: 'Same' }, { Name: 'Same' }, { Phone: 'x' }, { Name: 'Same' }, { Phone: 'x' }];
    const result = await org.bulk.load('Account', 'insert', input);
    expectEveryRowOnce(result.rows, 5);
    expect(result.rows.map((row) => row.status)).toEqual([
      'success',
      'success',
      'failure',
      'success',
      'failure',
    ]);
    expect(new Set(result.successes.map((row) => row.id)).size).toBe(3);
  });

  it('starts a new job when a streamed record brings a column the first 1,000 did not have', async () => {
    const records = Array.from({ length: 1500 }, (_, i) =>
      i === 1200 ? { Name: `S${i}`, Phone: 'late' } : { Name: `S${i}` },
    );
    const result = await org.bulk.load('Account', 'insert', Readable.from(records));
    expect(result.jobs).toHaveLength(2);
    expectEveryRowOnce(result.rows, 1500);
    expect(result.rows[1200]?.fields).toEqual({ Name: 'S1200', Phone: 'late' });
    expect(result.rows[1199]?.fields).toEqual({ Name: 'S1199' });
    const late = await collect(org.bulk.query("SELECT Name FROM Account WHERE Phone = 'late'"));
    expect(late).toEqual([{ Name: 'S1200' }]);
  });

  it('accounts for every row when a job fails midway: processed rows keep their outcome, the rest are unprocessed', async () => {
    org.emulator.org.bulk.configure({ rowsPerChunk: 100 });
    org.emulator.org.bulk.failNextJob({ afterRows: 300, errorMessage: 'InternalServerError : injected' });
    const input = Array.from({ length: 1000 }, (_, i) =>
      i % 10 === 0 ? { Phone: 'no name' } : { Name: `F${i}` },
    );
    const result = await org.bulk.load('Account', 'insert', input);
    expect(result.jobs[0]).toMatchObject({ state: 'Failed', errorMessage: 'InternalServerError : injected' });
    expectEveryRowOnce(result.rows, 1000);
    expect(result.summary).toMatchObject({ total: 1000, succeeded: 270, failed: 30, unprocessed: 700 });
    for (const row of result.rows) {
      if (row.index < 300) expect(row.status).toBe(row.index % 10 === 0 ? 'failure' : 'success');
      else {
        expect(row.status).toBe('unprocessed');
        if (row.status === 'unprocessed') {
          expect(row.reason).toBe('InternalServerError : injected');
          expect(row.fields).toEqual(
            input[row.index]?.Name === undefined
              ? { Name: '', Phone: 'no name' }
              : { Name: `F${row.index}`, Phone: '' },
          );
        }
      }
    }
  });

  it('names the CSV row that breaks an input mid-stream and aborts the job it was uploading', async () => {
    // The bad row arrives in a later piece, once the first job is uploading.
    const pieces = ['Name,Phone\nGood,1\n', 'Bad,2,3\n'];
    const error = await rejectionOf(org.bulk.load('Account', 'insert', { csv: Readable.from(pieces) }));
    expect(error).toBeInstanceOf(BulkLoadError);
    expect((error as BulkLoadError).code).toBe('INVALID_CSV');
    expect(error.message).toContain('CSV row 3');
    expect(org.emulator.org.bulk.jobs().map((job) => job.state)).toEqual(['Aborted']);
  });
});

describe('load: abort, timeout, resume', () => {
  it('aborts on the signal: the request stops, the jobs are aborted on the server, AbortError is thrown', async () => {
    org.emulator.org.bulk.pause();
    const controller = new AbortController();
    const seen: LoadProgress[] = [];
    const loading = org.bulk.load('Account', 'insert', [{ Name: 'A' }, { Name: 'B' }], {
      signal: controller.signal,
      onProgress: (event) => {
        seen.push(event);
        // Abort once the upload is done and the job is waiting for processing.
        if (event.uploadComplete) controller.abort(new Error('user cancelled'));
      },
    });
    const error = await rejectionOf(loading);
    expect(error).toBeInstanceOf(AbortError);
    const jobs = org.emulator.org.bulk.jobs();
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.state).toBe('Aborted');
    expect(sentTo(org.sent, 'PATCH', 'jobs/ingest').length).toBe(2);
    expect(seen.some((event) => event.uploadComplete)).toBe(true);
  });

  it('times out polling without aborting, and resumes later with bulk.job(id)', async () => {
    org.emulator.org.bulk.pause();
    const error = await rejectionOf(
      org.bulk.load('Account', 'insert', [{ Name: 'Late 1' }, { Phone: 'late 2' }], { pollTimeout: 50 }),
    );
    expect(error).toBeInstanceOf(BulkLoadError);
    expect((error as BulkLoadError).code).toBe('POLL_TIMEOUT');
    expect((error as BulkLoadError).cause).toBeInstanceOf(PollTimeoutError);
    const [jobId] = (error as BulkLoadError).jobIds;
    expect(org.emulator.org.bulk.jobs()[0]?.state).toBe('UploadComplete');

    org.emulator.org.bulk.resume();
    const job = org.bulk.job(jobId as string);
    expect(await job.kind()).toBe('ingest');
    const results = await job.results();
    expect(results.info.state).toBe('JobComplete');
    expect(results.successful.map((row) => row.fields)).toEqual([{ Name: 'Late 1', Phone: '' }]);
    expect(results.failed.map((row) => [row.error.code, row.fields.Phone])).toEqual([
      ['REQUIRED_FIELD_MISSING', 'late 2'],
    ]);
    expect(results.unprocessed).toEqual([]);
  });
});
