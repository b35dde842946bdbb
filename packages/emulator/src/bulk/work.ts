import type { DmlError } from '../data/errors.js';
import type { DataStore } from '../data/store.js';
import {
  type AppliedRecord,
  applyRecord,
  failedRecordId,
  type IngestOperation,
  recordErrors,
} from './records.js';

/**
 * What every kind of bulk work shares, whichever API it came in through: a Bulk 2.0 ingest or query
 * job, or a classic batch. Each works through its rows step by step, stops where a failure injected
 * with `org.bulk.failNextJob()` strikes, and (for ingest work) keeps one outcome per row.
 */

/** What a failure injected with `org.bulk.failNextJob()` does to the work that draws it. */
export interface InjectedFailure {
  readonly afterRows: number;
  readonly errorMessage: string;
}

/** How one step left the work: more to do, all done, or failed with the injected failure's message. */
export type StepOutcome = 'more' | 'complete' | { readonly failed: string };

/** How far a unit of work has got through its rows. */
export class RowProgress {
  /** Rows in the work (known once it starts). */
  total = 0;
  /** Rows processed so far, from the first. */
  processed = 0;
  /** Time spent processing, in whole milliseconds. */
  processingMs = 0;
  /** The failure this work drew when it started, if any. */
  injected: InjectedFailure | undefined;

  /**
   * Processes up to `limit` more rows with `work(from, end)` (rows `[from, end)`), never past the point
   * where an injected failure strikes, which fails the work once reached (after its rows, when it has
   * fewer).
   */
  step(limit: number, work: (from: number, end: number) => void): StepOutcome {
    const stop = this.injected === undefined ? this.total : Math.min(this.total, this.injected.afterRows);
    const from = this.processed;
    const end = Math.max(from, Math.min(stop, from + limit));
    const started = performance.now();
    if (end > from) work(from, end);
    this.processed = end;
    this.processingMs += Math.round(performance.now() - started);
    if (this.injected !== undefined && end >= stop) return { failed: this.injected.errorMessage };
    return end >= this.total ? 'complete' : 'more';
  }
}

/** What a unit of work does when it finishes. */
export interface WorkEnd {
  complete(): void;
  fail(message: string): void;
}

/** Applies a step's outcome to the work's state; true while rows remain. */
export function settle(outcome: StepOutcome, work: WorkEnd): boolean {
  if (outcome === 'more') return true;
  if (outcome === 'complete') work.complete();
  else work.fail(outcome.failed);
  return false;
}

const UNPROCESSED = 0;
const SUCCEEDED = 1;
const FAILED = 2;

export type RowOutcome = 'unprocessed' | 'succeeded' | 'failed';

const OUTCOMES: readonly RowOutcome[] = ['unprocessed', 'succeeded', 'failed'];

/**
 * One outcome per row of ingest work, kept compact (typed arrays; errors only for failed rows) so a
 * 100,000-row job costs little beyond its rows. The result files of both APIs are rendered from it.
 */
export class RowResults {
  readonly #outcomes: Uint8Array;
  readonly #created: Uint8Array;
  readonly #ids: string[];
  readonly #errors = new Map<number, readonly DmlError[]>();
  /** Rows that failed. */
  failed = 0;

  constructor(size: number) {
    this.#outcomes = new Uint8Array(size);
    this.#created = new Uint8Array(size);
    this.#ids = new Array<string>(size).fill('');
  }

  succeed(row: number, applied: AppliedRecord): void {
    this.#outcomes[row] = SUCCEEDED;
    this.#created[row] = applied.created ? 1 : 0;
    this.#ids[row] = applied.id;
  }

  fail(row: number, id: string, errors: readonly DmlError[]): void {
    this.#outcomes[row] = FAILED;
    this.#ids[row] = id;
    this.#errors.set(row, errors);
    this.failed += 1;
  }

  /** A row's outcome; rows past the results (work that never started) are unprocessed. */
  outcome(row: number): RowOutcome {
    return OUTCOMES[
      row < this.#outcomes.length ? (this.#outcomes[row] as number) : UNPROCESSED
    ] as RowOutcome;
  }

  /** The record id of a processed row ('' for a failed insert). */
  id(row: number): string {
    return this.#ids[row] ?? '';
  }

  created(row: number): boolean {
    return this.#created[row] === 1;
  }

  errors(row: number): readonly DmlError[] {
    return this.#errors.get(row) ?? [];
  }
}

/** The job an ingest row is written for. */
export interface IngestTarget {
  readonly operation: IngestOperation;
  readonly object: string;
  readonly externalIdFieldName: string | undefined;
  /** The job's creator: the writes are theirs. */
  readonly createdById: string;
}

/**
 * Writes rows `[from, end)` in one transaction, each in a savepoint so a failed row leaves no trace,
 * and records every row's outcome.
 */
export function applyRows(
  data: DataStore,
  target: IngestTarget,
  results: RowResults,
  from: number,
  end: number,
  recordAt: (row: number) => Readonly<Record<string, unknown>>,
): void {
  const { operation, object, externalIdFieldName } = target;
  data.transaction(
    (dml) => {
      for (let row = from; row < end; row++) {
        const record = recordAt(row);
        try {
          results.succeed(
            row,
            dml.savepoint(() => applyRecord(dml, operation, object, externalIdFieldName, record)),
          );
        } catch (error) {
          results.fail(row, failedRecordId(operation, record), recordErrors(error));
        }
      }
    },
    { userId: target.createdById },
  );
}
