import { ApiError, ConfigurationError, NotFoundError } from '@forcekit/core';
import { describe, expect, it } from 'vitest';
import { Bulk, type JobInfo } from '../src/index.js';
import { collect, FAST, rejectionOf, sentTo, useOrg } from './support.js';

const org = useOrg();

describe('ingest jobs driven by hand', () => {
  it('creates, uploads, closes, waits, reads the three result files and deletes a job', async () => {
    const job = await org.bulk.createIngestJob('Account', 'insert', { lineEnding: 'CRLF' });
    expect(job.info).toMatchObject({
      kind: 'ingest',
      state: 'Open',
      lineEnding: 'CRLF',
      columnDelimiter: 'COMMA',
    });
    await job.upload('Name,Phone\r\nOne,1\r\n,2\r\n');
    const closed = await job.close();
    expect(closed.state).toBe('UploadComplete');
    const polls: string[] = [];
    const done = await job.wait({ pollInterval: 5, onPoll: (info) => polls.push(info.state) });
    expect(done).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 2, numberRecordsFailed: 1 });
    expect(polls[polls.length - 1]).toBe('JobComplete');

    const results = await job.results();
    expect(results.successful).toEqual([
      { id: expect.stringMatching(/^001/), created: true, fields: { Name: 'One', Phone: '1' } },
    ]);
    expect(results.failed).toEqual([
      {
        id: undefined,
        error: {
          code: 'REQUIRED_FIELD_MISSING',
          message: 'Required fields are missing: [Name]',
          fields: ['Name'],
          text: 'REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --',
        },
        fields: { Name: '', Phone: '2' },
      },
    ]);
    expect(results.unprocessed).toEqual([]);

    await job.delete();
    const gone = await rejectionOf(org.bulk.job(job.id).info());
    expect(gone).toBeInstanceOf(ApiError);
    expect(sentTo(org.sent, 'DELETE', 'jobs/ingest')).toHaveLength(1);
  });

  it('aborts an open job, and reports INVALIDJOBSTATE for aborting a finished one', async () => {
    const open = await org.bulk.createIngestJob('Account', 'insert');
    expect((await open.abort()).state).toBe('Aborted');
    const done = await org.bulk.createIngestJob('Account', 'insert');
    await done.upload('Name\nx\n');
    await done.close();
    await done.wait(FAST);
    const error = await rejectionOf(done.abort());
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('INVALIDJOBSTATE');
  });

  it('refuses an upsert without externalIdField and names bad options', async () => {
    await expect(org.bulk.createIngestJob('Account', 'upsert')).rejects.toThrow(
      /externalIdField: is required for upsert/,
    );
    await expect(org.bulk.createIngestJob('Account', 'merge' as never)).rejects.toThrow(
      /operation: must be one of/,
    );
    await expect(org.bulk.createIngestJob('Bad Name', 'insert')).rejects.toThrow(ConfigurationError);
    await expect(
      org.bulk.createIngestJob('Account', 'insert', { columnDelimiter: 'COLON' as never }),
    ).rejects.toThrow(/columnDelimiter/);
    expect(org.sent).toEqual([]);
  });
});

describe('listing and finding jobs', () => {
  it('lists ingest and query jobs with their kind', async () => {
    await org.bulk.load('Account', 'insert', [{ Name: 'L' }]);
    await collect(org.bulk.query('SELECT Id FROM Account'));
    const ingest = await collect(org.bulk.jobs());
    const query = await collect(org.bulk.jobs({ kind: 'query' }));
    expect(ingest.map((job: JobInfo) => [job.kind, job.operation, job.jobType])).toEqual([
      ['ingest', 'insert', 'V2Ingest'],
    ]);
    expect(query.map((job) => [job.kind, job.operation, job.state])).toEqual([
      ['query', 'query', 'JobComplete'],
    ]);
    expect(await collect(org.bulk.jobs({ jobType: 'Classic' }))).toEqual([]);
  });

  it('tells which API a job belongs to and reads its info', async () => {
    const loaded = await org.bulk.load('Account', 'insert', [{ Name: 'K' }]);
    const query = org.bulk.query('SELECT Id FROM Account');
    await query.wait();
    const classic = org.bulk.createJob('Account', 'insert');
    await classic.open();
    const ingestRef = org.bulk.job(loaded.jobs[0]?.id as string);
    expect(await ingestRef.kind()).toBe('ingest');
    expect(await ingestRef.info()).toMatchObject({ kind: 'ingest', state: 'JobComplete' });
    expect(await org.bulk.job(query.jobId as string).kind()).toBe('query');
    const classicRef = org.bulk.job(classic.id as string);
    expect(await classicRef.kind()).toBe('classic');
    expect(await classicRef.info()).toMatchObject({ kind: 'classic', state: 'Open', object: 'Account' });
    await expect(classicRef.wait()).rejects.toThrow(/is a classic job/);
    await expect(org.bulk.job(query.jobId as string).results()).rejects.toThrow(/is a query job/);
  });

  it('refuses an id that is not one', () => {
    expect(() => org.bulk.job('nope')).toThrow(/id: must be a 15- or 18-character id/);
  });

  it('reports a job that does not exist with the server error', async () => {
    const error = await rejectionOf(org.bulk.job('750000000000000AAA').info());
    expect(error).toBeInstanceOf(ApiError);
  });
});

describe('Bulk options', () => {
  it('names bad defaults and bad load options', async () => {
    expect(() => new Bulk(org.client, { pollInterval: 0 })).toThrow(/pollInterval: must be at least 1/);
    expect(() => new Bulk(org.client, { pollEvery: 5 } as never)).toThrow(ConfigurationError);
    await expect(org.bulk.load('Account', 'insert', [], { maxBytesPerJob: -1 })).rejects.toThrow(
      /maxBytesPerJob/,
    );
    await expect(org.bulk.load('Account', 'upsert', [{ Name: 'x' }])).rejects.toThrow(
      /externalIdField: is required/,
    );
    await expect(
      org.bulk.load('Account', 'insert', [{ Name: 'x' }], { externalIdFieldName: 'X' } as never),
    ).rejects.toThrow(/externalIdFieldName: unknown option/);
    expect(org.sent).toEqual([]);
  });

  it('works through a client.as(session) view in multi-user mode', async () => {
    const multi = org.newClient({ mode: 'multi', accessToken: undefined, instanceUrl: undefined });
    const { instanceUrl, accessToken } = org.emulator.credentials;
    const bulk = new Bulk(multi.as({ instanceUrl, accessToken }), FAST);
    const result = await bulk.load('Account', 'insert', [{ Name: 'Multi' }]);
    expect(result.summary.succeeded).toBe(1);
    const unbound = new Bulk(multi, FAST);
    const error = await rejectionOf(unbound.load('Account', 'insert', [{ Name: 'x' }]));
    expect(error).not.toBeInstanceOf(NotFoundError);
    expect((error as { code?: string }).code).toBe('NO_SESSION');
  });
});
