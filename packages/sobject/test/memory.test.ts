import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type Emulator, startEmulator } from '@forcekit/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Streaming keeps memory flat: a child process (so the heap measured is the SDK's alone, with
// --expose-gc) streams every record of an emulated org through `for await`, forcing a GC and sampling
// the heap every 10,000 records. The default size keeps the test at a few seconds on a 2-core machine;
// FORCEKIT_MEMORY_RECORDS=1000000 runs the full million (measured: heap 14.8 MB before, 15.3-15.8 MB
// throughout, peak RSS ~145 MB).

const RECORDS = Number(process.env.FORCEKIT_MEMORY_RECORDS ?? 100_000);
const SAMPLE_EVERY = 10_000;
/**
 * Allowed heap growth over the whole stream (measured: under 1 MB). Keeping the records would cost far
 * more: each tracked record (Proxy, object, two strings) holds ~250 bytes, so 100,000 retained records
 * are ~25 MB (a run that kept them measured 47 MB of growth at 200,000).
 */
const MAX_GROWTH_BYTES = 6 * 1024 * 1024;

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const child = fileURLToPath(new URL('./memory/stream-child.ts', import.meta.url));

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
    object: 'Row__c',
    sampleEvery: SAMPLE_EVERY,
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
      else reject(new Error(`the streaming process exited with ${code}: ${err}`));
    });
  });
}

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator();
  // A custom object with only its standard fields generates fastest.
  emulator.org.defineObject({ name: 'Row__c' });
  emulator.org.generate('Row__c', RECORDS, { Name: (i: number) => `Row ${i}` });
}, 120_000);

afterAll(async () => {
  await emulator?.stop();
});

describe('streaming memory', () => {
  it(`streams ${RECORDS} records through for await with a flat heap`, async () => {
    const report = await runChild(emulator);
    expect(report.count).toBe(RECORDS);
    expect(report.samples).toHaveLength(RECORDS / SAMPLE_EVERY);
    const growth = Math.max(...report.samples) - (report.samples[0] as number);
    const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
    console.info(
      `streamed ${report.count} records in ${report.seconds.toFixed(1)} s; heap after GC: ${mb(report.before)} before, ` +
        `${mb(Math.min(...report.samples))}-${mb(Math.max(...report.samples))} while streaming; peak RSS ${mb(report.maxRssKb * 1024)}`,
    );
    expect(growth).toBeLessThan(MAX_GROWTH_BYTES);
  }, 120_000);
});
