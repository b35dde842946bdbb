// Run by memory.test.ts in its own process (node --expose-gc), so the heap it measures is the SDK's
// alone: streams every row of a bulk query through `for await`, sampling the heap (test-support/memory).
import { createClient } from '@forcekit/core';
import { memoryChildInput, sampleHeap } from '../../../../test-support/memory.js';
import { Bulk } from '../../src/index.js';

const { instanceUrl, accessToken, soql, sampleEvery, maxRecords } = memoryChildInput<{
  instanceUrl: string;
  accessToken: string;
  soql: string;
  sampleEvery: number;
  maxRecords: number;
}>();

const client = createClient({ instanceUrl, accessToken });
const bulk = new Bulk(client, { pollInterval: 5, maxPollInterval: 50 });
await sampleHeap(
  () => bulk.query<{ Name: string }>(soql, { maxRecords }),
  sampleEvery,
  (record) => record.Name.length,
);
await client.close();
