// Bulk scenarios (issue 8, item 5): CSV decode and encode throughput in process, and a 1,000,000-row
// Bulk API 2.0 query against the emulator, forcekit next to jsforce 3.10.16's `conn.bulk2.query`, each
// client in its own process (rows/s and peak RSS).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CsvEncoder, decodeCsv } from '@forcekit/bulk';
import { build } from 'esbuild';
import { externalPackages } from '../build.js';
import type { JobFailure, JobResult, Target } from '../child/protocol.js';
import { startServer } from '../children.js';
import { measureOps, measureProcesses } from '../measure.js';
import type { MeasureOptions, Scenario, ScenarioResult } from '../scenario.js';
import type { BulkQueryRequest } from './bulk-client.js';

// ---- CSV --------------------------------------------------------------------------------------------

const CSV_ROWS = 10_000;
const JSFORCE = 'jsforce-3.10.16';

/** Rows like a bulk query's: quoted values, a few with delimiters, quotes and line breaks. */
function sampleRecords(): Record<string, string>[] {
  return Array.from({ length: CSV_ROWS }, (_, i) => ({
    Id: `001EM${String(i).padStart(13, '0')}`,
    Name: i % 50 === 0 ? `Acme, "Quoted" ${i}\nsecond line` : `Account ${i}`,
    Industry: ['Banking', 'Energy', 'Retail'][i % 3] as string,
    AnnualRevenue: String(i * 1000),
    BillingCity: i % 7 === 0 ? '' : 'San Francisco',
    CreatedDate: '2024-05-01T10:00:00.000Z',
  }));
}

/** jsforce's own CSV helpers (csv-parse and csv-stringify), as its bulk APIs use them. */
interface JsforceCsv {
  parseCSV(text: string): object[];
  toCSV(records: object[]): string;
}

async function jsforceCsv(): Promise<JsforceCsv> {
  // A non-literal specifier keeps jsforce's type declarations out of the type-check.
  const specifier = 'jsforce/lib/csv.js';
  const module = (await import(specifier)) as JsforceCsv & { default?: JsforceCsv };
  return typeof module.parseCSV === 'function' ? module : (module.default as JsforceCsv);
}

/** forcekit: decode to rows, then key each row by the header (what a bulk query does per page). */
function forcekitRecords(text: string): Record<string, string>[] {
  const rows = decodeCsv(text);
  const header = rows[0] ?? [];
  const out: Record<string, string>[] = new Array(rows.length - 1);
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r] as string[];
    const record: Record<string, string> = {};
    for (let i = 0; i < header.length; i++) record[header[i] as string] = row[i] as string;
    out[r - 1] = record;
  }
  return out;
}

function forcekitCsv(records: Record<string, string>[]): string {
  const columns = Object.keys(records[0] ?? {});
  const encoder = new CsvEncoder();
  let out = encoder.row(columns);
  for (const record of records) out += encoder.row(columns.map((column) => record[column] as string));
  return out;
}

function mbNotes(result: ScenarioResult, bytes: number): string[] {
  return result.contenders.map(
    (contender) =>
      `${contender.contender}: ${((contender.opsPerSec / CSV_ROWS) * (bytes / 1e6)).toFixed(1)} MB/s (${Math.round((contender.opsPerCpuSecond / CSV_ROWS) * (bytes / 1e6))} MB per CPU-second)`,
  );
}

/** Scales operations (one per CSV text) to rows. */
function perRow(result: ScenarioResult['contenders']): ScenarioResult['contenders'] {
  return result.map((contender) => ({
    ...contender,
    opsPerSec: contender.opsPerSec * CSV_ROWS,
    samples: contender.samples.map((sample) => sample * CSV_ROWS),
    opsPerCpuSecond: contender.opsPerCpuSecond * CSV_ROWS,
  }));
}

export const csvDecode: Scenario = {
  name: 'csv-decode',
  description: `Decode ${CSV_ROWS.toLocaleString('en-US')} quoted CSV rows (6 columns) into header-keyed records: rows/s and MB/s`,
  async run(options: MeasureOptions): Promise<ScenarioResult> {
    const jsforce = await jsforceCsv();
    const text = new CsvEncoder({ quoteAll: true }).rows([
      Object.keys(sampleRecords()[0] as object),
      ...sampleRecords().map((record) => Object.values(record)),
    ]);
    const check = [forcekitRecords(text), jsforce.parseCSV(text)];
    if (JSON.stringify(check[0]) !== JSON.stringify(check[1])) throw new Error('the decoders disagree');
    const contenders = perRow(
      await measureOps(
        [
          { contender: 'forcekit', operation: () => forcekitRecords(text) },
          { contender: JSFORCE, operation: () => jsforce.parseCSV(text) },
        ],
        options,
      ),
    );
    const result: ScenarioResult = { contenders, unit: 'rows', notes: [] };
    const bytes = Buffer.byteLength(text);
    result.notes.push(
      `One operation decodes ${(bytes / 1e6).toFixed(2)} MB (${CSV_ROWS} rows, every value quoted as in bulk results); both produce the same records.`,
      `forcekit: CsvDecoder (decodeCsv) and a header-keyed object per row; ${JSFORCE}: its parseCSV (csv-parse, columns: true), as its bulk APIs parse results.`,
      ...mbNotes(result, bytes),
    );
    return result;
  },
};

export const csvEncode: Scenario = {
  name: 'csv-encode',
  description: `Encode ${CSV_ROWS.toLocaleString('en-US')} records (6 columns) as CSV: rows/s and MB/s`,
  async run(options: MeasureOptions): Promise<ScenarioResult> {
    const jsforce = await jsforceCsv();
    const records = sampleRecords();
    const ours = forcekitCsv(records);
    const theirs = jsforce.toCSV(records);
    const same = (text: string) => JSON.stringify(forcekitRecords(text)) === JSON.stringify(records);
    if (!same(ours) || !same(theirs)) throw new Error('an encoder does not round-trip the records');
    const contenders = perRow(
      await measureOps(
        [
          { contender: 'forcekit', operation: () => forcekitCsv(records) },
          { contender: JSFORCE, operation: () => jsforce.toCSV(records) },
        ],
        options,
      ),
    );
    const result: ScenarioResult = { contenders, unit: 'rows', notes: [] };
    const bytes = Buffer.byteLength(ours);
    result.notes.push(
      `One operation writes ${(bytes / 1e6).toFixed(2)} MB (${CSV_ROWS} rows); both decode back to the same records.`,
      `forcekit: CsvEncoder.row per record; ${JSFORCE}: its toCSV (csv-stringify, header: true), as its bulk APIs write uploads.`,
      ...mbNotes(result, bytes),
    );
    return result;
  },
};

// ---- bulk query ------------------------------------------------------------------------------------

const QUERY_ROWS = 1_000_000;
const SMOKE_QUERY_ROWS = 20_000;
const SOQL = 'SELECT Id, Name, Code__c, CreatedDate FROM Row__c';

/** Compiles the server and client entries into a temporary folder. */
async function compileChildren(): Promise<{ server: string; client: string; dispose(): void }> {
  const outdir = mkdtempSync(join(tmpdir(), 'forcekit-bench-bulk-'));
  const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));
  await build({
    entryPoints: { 'bulk-server': source('./bulk-server.ts'), 'bulk-client': source('./bulk-client.ts') },
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: `node${process.versions.node.split('.')[0]}`,
    outExtension: { '.js': '.mjs' },
    conditions: ['@forcekit/source'],
    plugins: [externalPackages],
    logLevel: 'warning',
  });
  return {
    server: join(outdir, 'bulk-server.mjs'),
    client: join(outdir, 'bulk-client.mjs'),
    dispose: () => rmSync(outdir, { recursive: true, force: true }),
  };
}

function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  return env;
}

/** One measured query in a fresh client process. */
function runClient(entry: string, request: BulkQueryRequest): Promise<JobResult> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [entry, JSON.stringify(request)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: childEnv(),
    });
    let answered = false;
    child.once('message', (message) => {
      answered = true;
      const result = message as JobResult | JobFailure;
      if (result.ok) resolve(result);
      else reject(new Error(`${request.client} failed: ${result.error}`));
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (!answered)
        reject(new Error(`${request.client} exited (${signal ?? `code ${code}`}) without a result`));
    });
  });
}

export const bulkQuery: Scenario = {
  name: 'bulk-query',
  // A million rows through each client, several rounds: minutes. Quick runs leave it out.
  fullOnly: true,
  description: `Bulk API 2.0 query of ${QUERY_ROWS.toLocaleString('en-US')} rows from the emulator, streamed: rows/s and peak RSS`,
  async run(options: MeasureOptions): Promise<ScenarioResult> {
    const rows = options.mode === 'smoke' ? SMOKE_QUERY_ROWS : QUERY_ROWS;
    const entries = await compileChildren();
    const generated = performance.now();
    const server = await startServer(entries.server, [String(rows)], 'bulk emulator');
    const setupSeconds = (performance.now() - generated) / 1000;
    try {
      const target: Target = server.target;
      const jsforceUrl = pathToFileURL(createRequire(import.meta.url).resolve('jsforce')).href;
      const request = (client: BulkQueryRequest['client']): BulkQueryRequest => ({
        client,
        target,
        soql: SOQL,
        expected: rows,
        jsforceUrl,
      });
      const contenders = await measureProcesses(
        [
          { contender: 'forcekit', run: () => runClient(entries.client, request('forcekit')) },
          { contender: JSFORCE, run: () => runClient(entries.client, request(JSFORCE)) },
        ],
        options.rounds,
      );
      return {
        contenders,
        unit: 'rows',
        notes: [
          `${SOQL} over ${rows.toLocaleString('en-US')} rows (about 60 bytes of CSV each) from the emulator in its own process (set up in ${setupSeconds.toFixed(0)} s); results in the emulator's default pages of 50,000 rows.`,
          "forcekit: `for await (const row of bulk.query(soql))`; jsforce: `(await conn.bulk2.query(soql)).on('record', ...)`. Both poll every 50 ms and read every row.",
          'Each run is a fresh process compiled to JavaScript (no TypeScript loader); RSS is that process peak (maxRSS). The time includes creating the job and the emulator evaluating the query.',
          ...contenders.map((contender) => `${contender.contender}: ${contender.runtime ?? ''}`),
        ],
      };
    } finally {
      await server.stop();
      entries.dispose();
    }
  },
};
