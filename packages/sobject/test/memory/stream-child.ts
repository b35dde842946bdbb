// Run by memory.test.ts in its own process (node --expose-gc), so the heap it measures is the SDK's
// alone: streams every record of the object given through `for await`, sampling the heap
// (test-support/memory).
import { createClient } from '@forcekit/core';
import { memoryChildInput, sampleHeap } from '../../../../test-support/memory.js';
import { query } from '../../src/index.js';

const { instanceUrl, accessToken, object, sampleEvery } = memoryChildInput<{
  instanceUrl: string;
  accessToken: string;
  object: string;
  sampleEvery: number;
}>();

const client = createClient({ instanceUrl, accessToken, maxRetries: 0 });
await sampleHeap(
  () => query(client, `SELECT Id, Name FROM ${object}`),
  sampleEvery,
  (record) => (record as { Name: string }).Name.length,
);
await client.close();
