import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type Emulator, startEmulator } from '@forcekit/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A bulk query streams with a flat heap: a child process (so the heap measured is the SDK's alone,
// with --expose-gc) reads every row of an emulated org through `for await`, forcing a GC and sampling
// the heap every 10,000 rows. The suite uses 100,000 rows to stay at a few seconds; the bench scenario
// `bulk-query` runs 1,000,000, and so does FORCEKIT_MEMORY_ROWS=1000000 here (measured: 8.7 s, heap
// 13.8 MB before, 14.9-15.8 MB throughout, peak RSS 143 MB with the TypeScript loader).

const ROWS = Number(process.env.FORCEKIT_MEMORY_ROWS ?? 100_000);
const SAMPLE_EVERY = 10_000;
/**
 * Allowed heap growth while streaming. Keeping the rows would cost far more: each record object with
 * its two strings holds ~150 bytes, so 100,000 retained rows are ~15 MB.
 */
const MAX_GROWTH_BYTES = 6 * 1024 * 1024;

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const child = fileURLToPath(new URL('./memory/query-child.ts', import.meta.url));

interface ChildReport {
  count: number;
  checksum: number;
  before: number;
  samples: number[];
  seconds: number;
  maxRssKb: number;
}

function runChild(emulator: Emulator): Promise<ChildReport> {
  const input = JSON.stringify({
    instanceUrl: emulator.url,
    accessToken: emulator.credentials.accessToken,
    soql: 'SELECT Id, Name FROM Row__c',
    sampleEvery: SAMPLE_EVERY,
    maxRecords: 25_000,
  });
  return new Promise((resolve, reject) => {
    const proc = spawn(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', '--conditions=@forcekit/source', child, input],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    proc.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    proc.on('error', reject);
    proc.on('exit', (code) => {
      if (code === 0) resolve(JSON.parse(out) as ChildReport);
      else reject(new Error(`the query process exited with ${code}: ${err}`));
    });
  });
}

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ bulk: { queueDelayMs: 1 } });
  emulator.org.defineObject({ name: 'Row__c' });
  emulator.org.generate('Row__c', ROWS, { Name: (i: number) => `Row ${i}` });
}, 120_000);

afterAll(async () => {
  await emulator?.stop();
});

describe('bulk query memory', () => {
  it(`streams ${ROWS} rows through for await with a flat heap`, async () => {
    const report = await runChild(emulator);
    expect(report.count).toBe(ROWS);
    expect(report.samples).toHaveLength(ROWS / SAMPLE_EVERY);
    const growth = Math.max(...report.samples) - (report.samples[0] as number);
    const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
    console.info(
      `bulk query: ${report.count} rows in ${report.seconds.toFixed(1)} s; heap after GC ${mb(report.before)} before, ` +
        `${mb(Math.min(...report.samples))}-${mb(Math.max(...report.samples))} while streaming; peak RSS ${mb(report.maxRssKb * 1024)}`,
    );
    expect(growth).toBeLessThan(MAX_GROWTH_BYTES);
  }, 120_000);
});
