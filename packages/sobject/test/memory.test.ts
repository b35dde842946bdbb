import { type Emulator, startEmulator } from '@forcekit/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeMemory, heapGrowth, runMemoryChild } from '../../../test-support/memory.js';

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
    const report = await runMemoryChild(
      new URL('./memory/stream-child.ts', import.meta.url),
      {
        instanceUrl: emulator.url,
        accessToken: emulator.credentials.accessToken,
        object: 'Row__c',
        sampleEvery: SAMPLE_EVERY,
      },
      'streaming',
    );
    expect(report.count).toBe(RECORDS);
    expect(report.samples).toHaveLength(RECORDS / SAMPLE_EVERY);
    console.info(describeMemory('query stream', 'records', report));
    expect(heapGrowth(report)).toBeLessThan(MAX_GROWTH_BYTES);
  }, 120_000);
});
