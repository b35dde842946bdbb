import { type Emulator, startEmulator } from '@forcekit/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeMemory, heapGrowth, runMemoryChild } from '../../../test-support/memory.js';

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
    const report = await runMemoryChild(
      new URL('./memory/query-child.ts', import.meta.url),
      {
        instanceUrl: emulator.url,
        accessToken: emulator.credentials.accessToken,
        soql: 'SELECT Id, Name FROM Row__c',
        sampleEvery: SAMPLE_EVERY,
        maxRecords: 25_000,
      },
      'query',
    );
    expect(report.count).toBe(ROWS);
    expect(report.samples).toHaveLength(ROWS / SAMPLE_EVERY);
    console.info(describeMemory('bulk query', 'rows', report));
    expect(heapGrowth(report)).toBeLessThan(MAX_GROWTH_BYTES);
  }, 120_000);
});
