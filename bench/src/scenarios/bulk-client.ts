// A client process of the bulk-query scenario (`node bulk-client.mjs <request JSON>`), compiled to
// JavaScript by bulk.ts before anything is measured (a TypeScript loader would add its own memory to
// every figure): one bulk query by one client, answered with a JobResult over Node's IPC channel.

// @forcekit/bulk is not (yet) a dependency of the bench package: its source is bundled by path.
import { Bulk } from '@forcekit/bulk';
import { createClient } from 'forcekit';
import type { JobFailure, JobResult, Target } from '../child/protocol.js';

/** What the runner asks a client process to do. */
export interface BulkQueryRequest {
  readonly client: 'forcekit' | 'jsforce-3.10.16';
  readonly target: Target;
  readonly soql: string;
  readonly expected: number;
  /** The jsforce entry module (file URL), resolved by the runner. */
  readonly jsforceUrl: string;
}

/** The slice of jsforce 3 this scenario uses (typed here rather than from jsforce). */
interface JsforceRecordStream {
  on(event: 'record', listener: (record: Record<string, unknown>) => void): this;
  on(event: 'end', listener: () => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  /** Node's stream internals: the streams this one pipes into. */
  readonly _readableState?: { pipes?: { resume(): void }[] };
}
interface JsforceModule {
  Connection: new (options: {
    instanceUrl: string;
    accessToken: string;
    version: string;
  }) => {
    bulk2: {
      query(
        soql: string,
        options: { pollInterval: number; pollTimeout: number },
      ): Promise<JsforceRecordStream>;
    };
  };
  VERSION?: string;
}

function send(message: object): Promise<void> {
  return new Promise((resolve) => {
    if (process.send === undefined) {
      process.stdout.write(`${JSON.stringify(message)}\n`);
      resolve();
    } else process.send(message, () => resolve());
  });
}

function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** Reads every row of the query; returns how many and a checksum the engine cannot optimise away. */
async function readWithForcekit(request: BulkQueryRequest): Promise<{ count: number; runtime: string }> {
  const { instanceUrl, accessToken, apiVersion } = request.target;
  const client = createClient({ instanceUrl, accessToken, version: apiVersion });
  const bulk = new Bulk(client, { pollInterval: 50, maxPollInterval: 200, pollTimeout: 600_000 });
  let count = 0;
  let checksum = 0;
  for await (const row of bulk.query<{ Name: string }>(request.soql)) {
    count++;
    checksum += row.Name.length;
  }
  await client.close();
  return { count: checksum > 0 ? count : -1, runtime: `node ${process.version}, forcekit (source)` };
}

async function readWithJsforce(request: BulkQueryRequest): Promise<{ count: number; runtime: string }> {
  const jsforce = (await import(request.jsforceUrl)) as JsforceModule & { default?: JsforceModule };
  const api = jsforce.Connection === undefined ? (jsforce.default as JsforceModule) : jsforce;
  const { instanceUrl, accessToken, apiVersion } = request.target;
  const connection = new api.Connection({ instanceUrl, accessToken, version: apiVersion });
  const stream = await connection.bulk2.query(request.soql, { pollInterval: 50, pollTimeout: 600_000 });
  // jsforce's record stream also pipes every record into an internal PassThrough (highWaterMark 500,000
  // records) that nothing reads: read as documented (`on('record')`), it buffers up to about a million
  // records, then pauses for good. Draining that stream lets jsforce finish a million-row query.
  for (const sink of stream._readableState?.pipes ?? []) sink.resume();
  let count = 0;
  let checksum = 0;
  // jsforce parses every page into one CSV stream, so the header row each page repeats (pages 2..n)
  // comes out as a record whose values are the column names: counted apart, not as rows.
  let headersAsRecords = 0;
  await new Promise<void>((resolve, reject) => {
    stream.on('record', (record) => {
      if (record.Id === 'Id' && record.Name === 'Name') {
        headersAsRecords++;
        return;
      }
      count++;
      checksum += String(record.Name).length;
    });
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  const extra = headersAsRecords > 0 ? ` (it also yielded ${headersAsRecords} page headers as records)` : '';
  return {
    count: checksum > 0 ? count : -1,
    runtime: `node ${process.version}, jsforce ${api.VERSION ?? '3.10.16'}${extra}`,
  };
}

async function client(request: BulkQueryRequest): Promise<void> {
  try {
    const cpuStart = cpuMs();
    const started = performance.now();
    const { count, runtime } =
      request.client === 'forcekit' ? await readWithForcekit(request) : await readWithJsforce(request);
    const wallMs = performance.now() - started;
    const cpu = cpuMs() - cpuStart;
    if (count !== request.expected) throw new Error(`read ${count} rows, expected ${request.expected}`);
    const result: JobResult = {
      ok: true,
      operations: count,
      wallMs,
      cpuMs: cpu,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      runtime,
    };
    await send(result);
  } catch (error) {
    const failure: JobFailure = {
      ok: false,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    };
    await send(failure);
  }
  process.exit(0);
}

const [argument] = process.argv.slice(2);
if (argument === undefined) throw new Error('usage: bulk-client.mjs <request JSON>');
await client(JSON.parse(argument) as BulkQueryRequest);
