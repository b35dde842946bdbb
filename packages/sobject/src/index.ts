// The whole public surface of @forcekit/sobject. Nothing under src/internal/ is exported.

export {
  type CollectionOptions,
  PartialSaveError,
  type SaveError,
  type SaveResult,
  type UpsertResult,
} from './collections.js';
export {
  type ChildRelationship,
  DescribeCache,
  type DescribeCacheOptions,
  type DescribeField,
  type DescribeGlobalResult,
  type DescribeGlobalSObject,
  type DescribeOptions,
  type DescribeSObjectResult,
  describeGlobal,
  type PicklistEntry,
  type RecordTypeInfo,
  sharedDescribeCache,
} from './describe.js';
export {
  Query,
  type QueryExplanation,
  type QueryOptions,
  type QueryPlan,
  type QueryResult,
  query,
  queryAll,
  queryMore,
  type RecordChange,
} from './query.js';
export { QueryRun, type QueryRunSummary } from './query-run.js';
export {
  changedFields,
  createSObject,
  externalIdOf,
  hasChanged,
  isTracked,
  recordIdOf,
  type SObjectRecord,
  sobjectTypeOf,
  type ToPlainOptions,
  type TrackedRecordMethods,
  toPlainObject,
  track,
} from './records.js';
