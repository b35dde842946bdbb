import { ConfigurationError, describeValue, lazy } from '@forcekit/core';
import { z } from 'zod';
import { isRecordId } from '../collections.js';

// Validation of what crosses the package boundary: options objects (zod, every bad field named at once)
// and record inputs (hand-written loops, so a 10,000-record save is checked without zod's per-object cost).

// Options are parsed by core's `parseOptions` (one way of naming bad fields in every package); re-exported
// here, beside the schemas it is used with.
export { parseOptions } from '@forcekit/core';

// The schemas are built on first use (core's `lazy`), not at import: see docs/benchmarks.md, start-up.
const parts = lazy(() => ({
  signal: z.custom<AbortSignal>((value) => value instanceof AbortSignal, {
    error: 'must be an AbortSignal',
  }),
  optionalBoolean: z.boolean({ error: 'must be true or false' }).optional(),
}));

export const queryOptionsSchema = lazy(() => {
  const { signal, optionalBoolean } = parts();
  return z.object({
    autoFetch: optionalBoolean,
    // z.number() refuses Infinity, which means "no cap" here.
    maxFetch: z
      .custom<number>((n) => n === Number.POSITIVE_INFINITY || (Number.isInteger(n) && (n as number) >= 1), {
        error: 'must be an integer >= 1 (or Infinity)',
      })
      .optional(),
    batchSize: z
      .int({ error: 'must be an integer' })
      .min(200, 'must be from 200 to 2000')
      .max(2000, 'must be from 200 to 2000')
      .optional(),
    includeDeleted: optionalBoolean,
    tracked: optionalBoolean,
    signal: signal.optional(),
  });
});

export const collectionOptionsSchema = lazy(() => {
  const { signal, optionalBoolean } = parts();
  return z.object({
    allOrNone: optionalBoolean,
    concurrency: z
      .int({ error: 'must be an integer' })
      .min(1, 'must be from 1 to 10')
      .max(10, 'must be from 1 to 10')
      .optional(),
    signal: signal.optional(),
  });
});

export const retrieveOptionsSchema = lazy(() =>
  z.object({
    fields: z
      .array(z.string().regex(/^[A-Za-z][A-Za-z0-9_.]*$/, 'must be field names'))
      .min(1, 'must name at least one field')
      .optional(),
    signal: parts().signal.optional(),
  }),
);

export function invalid(subject: string, field: string, message: string): ConfigurationError {
  return new ConfigurationError([{ field, message }], subject);
}

/** A Salesforce record Id (15 or 18 characters), or throws naming `field`. */
export function checkId(value: unknown, field: string, subject: string): string {
  if (!isRecordId(value)) {
    throw invalid(subject, field, `must be a 15- or 18-character record Id, got ${describeValue(value)}`);
  }
  return value;
}

// Names are checked by core's `checkApiName`; values in messages described by core's `describeValue`.
export { checkApiName as checkName } from '@forcekit/core';
export { describeValue };

/** A record: a non-null, non-array object. */
export function checkRecord(value: unknown, field: string, subject: string): object {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalid(subject, field, `must be a record object, got ${describeValue(value)}`);
  }
  return value;
}
