// The whole public surface of @forcekit/sobject. Nothing under src/internal/ is exported.

export type {
  QueryEditResult,
  QueryEvents,
  QueryExplanation,
  QueryPlan,
  QueryResult,
  QueryRunSummary,
} from '@forcekit/soql';
export {
  type CollectionOptions,
  fieldsToSend,
  isRecordId,
  markSaved,
  PartialSaveError,
  type PayloadMode,
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
export { Query, type QueryOptions, query, queryAll, queryMore, type RecordChange } from './query.js';
export { SObjectQueryExecutor } from './query-executor.js';
export { QueryRun } from './query-run.js';
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
export {
  type DeletedResult,
  type RecordInput,
  type RetrievedRecord,
  type RetrieveOptions,
  type SaveOptions,
  SObject,
  type SObjectOptions,
  sobject,
  type UpdatedResult,
} from './repository.js';

// REST extras: search, Apex REST, composite, discovery resources, binary bodies (src/rest/).
export { type ApexOptions, type ApexRest, apexPath, apexRest } from './rest/apex.js';
export { getAttachmentBody, getBlob, getContentVersionBody, getDocumentBody } from './rest/blobs.js';
export type { CallOptions } from './rest/call-options.js';
export {
  type BatchSubresponse,
  type CompositeBatchOptions,
  type CompositeBatchResult,
  type CompositeOptions,
  type CompositeResult,
  type CompositeSubresponse,
  composite,
  compositeBatch,
  MAX_SUBREQUESTS,
  type ReferencedSubrequest,
} from './rest/composite.js';
export {
  type ApiVersion,
  type IdentityInfo,
  identity,
  type Limit,
  type Limits,
  limits,
  type Resources,
  resources,
  versions,
} from './rest/discovery.js';
export type { BinaryInput } from './rest/multipart.js';
export { type CompositeReference, reference } from './rest/references.js';
export { type SearchRecord, type SearchResult, search } from './rest/search.js';
export { buildSosl, escapeSosl, type ReturningQuery, type SearchGroup, type SoslSpec } from './rest/sosl.js';
export { type Subrequest, type SubrequestMethod, subrequest } from './rest/subrequest.js';
export { compositeTree, MAX_TREE_RECORDS, type TreeRecord, type TreeResult } from './rest/tree.js';
export {
  type AttachmentFields,
  type ContentVersionFields,
  createAttachment,
  createDocument,
  type DocumentFields,
  type UploadResult,
  uploadContentVersion,
} from './rest/uploads.js';
