import { ConfigurationError } from '@forcekit/core';

/**
 * Salesforce's limit for one ingest job: 150 MB of upload, counted base64-encoded, which is about 100 MB
 * of CSV. The default limit per job is 100 MiB of CSV (about 140 MB base64), leaving headroom.
 */
export const DEFAULT_MAX_BYTES_PER_JOB = 100 * 1024 * 1024;

/** The size Salesforce counts for `bytes` of upload: its base64 encoding. */
export function base64Size(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}

/**
 * Decides where one job's upload ends: a job takes rows while its CSV (header included) stays within
 * `maxBytes` and its rows within `maxRows`; the row that does not fit starts the next job. A row that
 * cannot fit even alone under its header is an error (no split can upload it).
 */
export class JobSplitter {
  readonly maxBytes: number;
  readonly maxRows: number;
  #bytes = 0;
  #rows = 0;
  #headerBytes = 0;

  constructor(maxBytes: number, maxRows = Number.POSITIVE_INFINITY) {
    this.maxBytes = maxBytes;
    this.maxRows = maxRows;
  }

  /** Bytes of the current job so far (header included). */
  get bytes(): number {
    return this.#bytes;
  }

  /** Rows of the current job so far. */
  get rows(): number {
    return this.#rows;
  }

  /** Starts a job whose header row takes `headerBytes`. */
  startJob(headerBytes: number): void {
    this.#headerBytes = headerBytes;
    this.#bytes = headerBytes;
    this.#rows = 0;
  }

  /**
   * Whether a row of `rowBytes` joins the current job (and counts it when it does). False means: close
   * this job and start another with the row. `rowNumber` names the row in the error for a row too big.
   */
  take(rowBytes: number, rowNumber: number): boolean {
    if (this.#headerBytes + rowBytes > this.maxBytes) {
      throw new ConfigurationError(
        [
          {
            field: `rows[${rowNumber}]`,
            message: `is ${rowBytes} bytes of CSV: with its header it exceeds the ${this.maxBytes}-byte upload limit of a job`,
          },
        ],
        'bulk load input',
      );
    }
    if (this.#rows > 0 && (this.#bytes + rowBytes > this.maxBytes || this.#rows >= this.maxRows))
      return false;
    this.#bytes += rowBytes;
    this.#rows++;
    return true;
  }
}
