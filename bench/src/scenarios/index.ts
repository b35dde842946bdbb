import type { Scenario } from '../scenario.js';
import { bulkQuery, csvDecode, csvEncode } from './bulk.js';
import { collectionsCreate } from './collections-create.js';
import { crudC1, crudC16 } from './crud.js';
import { queryCollect, queryStream, queryStreamGzip } from './query-paging.js';
import { soqlCompile } from './soql-compile.js';
import { streaming } from './streaming.js';

/** Every scenario `run.ts` knows, in the order they run. Add new ones (bulk, streaming) here. */
export const scenarios: readonly Scenario[] = [
  queryStream,
  queryCollect,
  queryStreamGzip,
  crudC1,
  crudC16,
  collectionsCreate,
  bulkQuery,
  csvDecode,
  csvEncode,
  soqlCompile,
  streaming,
];
