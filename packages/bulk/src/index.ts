// The whole public surface of @forcekit/bulk. Nothing under src/internal/ is exported.

// What bulk.query() takes beside SOQL text: soql's type, re-exported for this package's users.
export type { SoqlSource } from '@forcekit/soql';
export { Bulk, type BulkOptions, type ListJobsOptions } from './bulk.js';
export {
  type BatchInput,
  type BatchResult,
  type BatchResults,
  ClassicBatch,
  type QueryResultRef,
} from './classic/batch.js';
export type { BatchInfo, ClassicJobInfo, ClassicOperation } from './classic/info.js';
export { ClassicJob, type ClassicJobOptions } from './classic/job.js';
export { CsvDecoder, decodeCsv } from './csv/decoder.js';
export {
  COLUMN_DELIMITERS,
  type ColumnDelimiter,
  type CsvDialect,
  dialectOf,
  LINE_ENDINGS,
  type LineEnding,
} from './csv/dialect.js';
export { CsvEncoder, type CsvEncoderOptions, encodeCsv } from './csv/encoder.js';
export { type CsvSource, csvRecords, decodeCsvStream } from './csv/stream.js';
export { BulkJobError, BulkLoadError, CsvError, PollTimeoutError } from './errors.js';
export { type AnyJobInfo, BulkJob, type JobKind } from './job-ref.js';
export { type PollOptions, type PollPolicy, pollDelay, pollPolicy } from './poll.js';
export { type BulkRecord, CSV_NULL } from './records/cells.js';
export type { CsvInput, LoadInput } from './records/source.js';
export {
  type FailedResult,
  IngestJob,
  type IngestJobOptions,
  type IngestJobResults,
  type ResultFile,
  type SuccessfulResult,
  type UnprocessedRecord,
} from './v2/ingest-job.js';
export type { IngestOperation, JobInfo, JobState, QueryOperation } from './v2/job-info.js';
export type {
  LoadFailure,
  LoadOptions,
  LoadProgress,
  LoadResult,
  LoadRowResult,
  LoadSuccess,
  LoadSummary,
  LoadUnprocessed,
} from './v2/load.js';
export {
  BulkQuery,
  type BulkQueryOptions,
  type BulkQueryRecord,
  type ColumnType,
  type CsvExport,
  QueryJob,
} from './v2/query.js';
export { parseRecordError, type RecordError } from './v2/record-error.js';
