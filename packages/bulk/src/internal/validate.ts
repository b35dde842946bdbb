import { ConfigurationError, describeValue, lazy } from '@forcekit/core';
import { z } from 'zod';

// What crosses the package boundary is checked here: options with zod (through core's `parseOptions`,
// every bad field named at once), names and ids with small hand-written checks.

export function invalid(subject: string, field: string, message: string): ConfigurationError {
  return new ConfigurationError([{ field, message }], subject);
}

const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
/** A job, batch or record id: 15 or 18 letters and digits. */
const ID = /^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/;

// Names are checked by core's `checkApiName`; values in messages described by core's `describeValue`.
export { checkApiName as checkName } from '@forcekit/core';

/** A job or batch id (15 or 18 characters), or throws naming `field`. */
export function checkJobId(value: unknown, field: string, subject: string): string {
  if (typeof value !== 'string' || !ID.test(value)) {
    throw invalid(subject, field, `must be a 15- or 18-character id, got ${describeValue(value)}`);
  }
  return value;
}

/**
 * The schema pieces bulk's option schemas share, built on first use (see core's `lazy`): building
 * them at import cost every process start-up time whether or not it used bulk.
 */
export const schemaParts = lazy(() => {
  const signal = z.custom<AbortSignal>((value) => value instanceof AbortSignal, {
    error: 'must be an AbortSignal',
  });
  const positiveInt = z.int({ error: 'must be an integer' }).min(1, 'must be at least 1');
  const columnDelimiter = z.enum(['BACKQUOTE', 'CARET', 'COMMA', 'PIPE', 'SEMICOLON', 'TAB'], {
    error: 'must be BACKQUOTE, CARET, COMMA, PIPE, SEMICOLON or TAB',
  });
  const lineEnding = z.enum(['LF', 'CRLF'], { error: 'must be LF or CRLF' });
  /** A field named by an option (`externalIdField`). */
  const fieldName = z
    .string({ error: 'must be a field API name such as Ext__c' })
    .regex(NAME, 'must be a field API name such as Ext__c');
  /** A record id given as an option (`assignmentRuleId`). */
  const recordId = z
    .string({ error: 'must be a 15- or 18-character id' })
    .regex(ID, 'must be a 15- or 18-character id');
  /** How often and how long a waiting call polls: the defaults a `Bulk` holds. */
  const pollTiming = {
    pollInterval: positiveInt.optional(),
    maxPollInterval: positiveInt.optional(),
    pollTimeout: positiveInt.optional(),
  };
  return {
    positiveInt,
    columnDelimiter,
    lineEnding,
    concurrencyMode: z.enum(['Parallel', 'Serial'], { error: 'must be Parallel or Serial' }),
    fieldName,
    recordId,
    /** What a Bulk API 2.0 ingest job is created with, by `createIngestJob()` and `load()` alike. */
    ingestJob: {
      externalIdField: fieldName.optional(),
      lineEnding: lineEnding.optional(),
      columnDelimiter: columnDelimiter.optional(),
      assignmentRuleId: recordId.optional(),
    },
    pollTiming,
    /** The polling options every waiting call takes. */
    poll: { ...pollTiming, signal: signal.optional() },
  };
});
