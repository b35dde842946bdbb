// Run by memory.test.ts in its own process (node --expose-gc), so the heap it measures is the SDK's
// alone: streams every row of a bulk query through `for await`, forcing a GC every `sampleEvery` rows
// and recording the heap in use. Prints one JSON line.
import { createClient } from '@forcekit/core';
import { Bulk } from '../../src/index.js';

const { instanceUrl, accessToken, soql, sampleEvery, maxRecords } = JSON.parse(process.argv[2] as string) as {
  instanceUrl: string;
  accessToken: string;
  soql: string;
  sampleEvery: number;
  maxRecords: number;
};
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

const client = createClient({ instanceUrl, accessToken });
const bulk = new Bulk(client, { pollInterval: 5, maxPollInterval: 50 });
gc();
const before = process.memoryUsage().heapUsed;
const samples: number[] = [];
let count = 0;
let checksum = 0;
const started = performance.now();
for await (const record of bulk.query<{ Name: string }>(soql, { maxRecords })) {
  count++;
  checksum += record.Name.length;
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
