import { z } from 'zod';

/**
 * How the emulator's bulk jobs run. Salesforce takes seconds to minutes; the defaults are fast so a
 * test suite does not wait, and every figure can be changed at start (`startEmulator({ bulk })`) or
 * later (`org.bulk.configure(...)`).
 */
export interface BulkOptions {
  /** Time a closed job (or a new query job) waits in `UploadComplete` before it starts. Default 5 ms. */
  readonly queueDelayMs?: number;
  /** Rows processed in one synchronous step, so a big job never blocks the event loop for long. Default 1000. */
  readonly rowsPerChunk?: number;
  /** Pause between two steps of the same job. Default 0 (the next turn of the event loop). */
  readonly chunkIntervalMs?: number;
  /**
   * Upload limit of one Bulk 2.0 ingest job, counted as Salesforce counts it: the base64 size of all
   * the job's uploads together. Default 150 MB (157,286,400 bytes), about 100 MB of raw CSV.
   */
  readonly uploadLimitBytes?: number;
  /** Rows per query results chunk when the client gives no `maxRecords`. Default 50,000. */
  readonly defaultMaxRecords?: number;
  /** Rows per result file of a classic query batch (each gets a `752...` result id). Default 100,000. */
  readonly classicResultRows?: number;
  /** Records one classic batch may hold. Default 10,000, as Salesforce allows. */
  readonly classicBatchMaxRecords?: number;
}

export type BulkSettings = Required<BulkOptions>;

export const DEFAULT_BULK_SETTINGS: BulkSettings = {
  queueDelayMs: 5,
  rowsPerChunk: 1000,
  chunkIntervalMs: 0,
  uploadLimitBytes: 150 * 1024 * 1024,
  defaultMaxRecords: 50_000,
  classicResultRows: 100_000,
  classicBatchMaxRecords: 10_000,
};

const nonNegative = z.number().int().nonnegative();
const positive = z.number().int().positive();

export const bulkOptionsSchema = z.strictObject({
  queueDelayMs: nonNegative.optional(),
  rowsPerChunk: positive.optional(),
  chunkIntervalMs: nonNegative.optional(),
  uploadLimitBytes: positive.optional(),
  defaultMaxRecords: positive.optional(),
  classicResultRows: positive.optional(),
  classicBatchMaxRecords: positive.optional(),
});

/** Validates options, naming the bad one: `bulk.rowsPerChunk: Too small: expected number to be >0`. */
export function parseBulkOptions(input: unknown): BulkOptions {
  const parsed = bulkOptionsSchema.safeParse(input);
  if (parsed.success) return parsed.data as BulkOptions;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? `bulk.${issue.path.join('.')}` : 'bulk';
  throw new TypeError(`${where}: ${issue?.message ?? 'invalid options'}`);
}
