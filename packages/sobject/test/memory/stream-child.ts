// Run by memory.test.ts in its own process (node --expose-gc), so the heap it measures is the SDK's
// alone: streams every Account of the emulator given in argv through `for await`, forcing a GC every
// `sampleEvery` records and recording the heap in use. Prints one JSON line.
import { createClient } from '@forcekit/core';
import { query } from '../../src/index.js';

const { instanceUrl, accessToken, object, sampleEvery } = JSON.parse(process.argv[2] as string) as {
  instanceUrl: string;
  accessToken: string;
  object: string;
  sampleEvery: number;
};
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

const client = createClient({ instanceUrl, accessToken, maxRetries: 0 });
gc();
const before = process.memoryUsage().heapUsed;
const samples: number[] = [];
let count = 0;
let checksum = 0;
const started = performance.now();
for await (const record of query(client, `SELECT Id, Name FROM ${object}`)) {
  count++;
  checksum += (record as { Name: string }).Name.length;
  if (count % sampleEvery === 0) {
    gc();
    samples.push(process.memoryUsage().heapUsed);
  }
}
const seconds = (performance.now() - started) / 1000;
await client.close();
process.stdout.write(
  `${JSON.stringify({ count, checksum, before, samples, seconds, maxRssKb: process.resourceUsage().maxRSS })}\n`,
);
