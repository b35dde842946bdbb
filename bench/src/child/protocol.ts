// The messages between the runner and its child processes (client workers, the fixture server, the
// emulator), sent over Node's IPC channel as JSON.

/** The four clients every I/O scenario compares. */
export const CLIENT_NAMES = ['raw-undici', 'forcekit', 'jsforce-3.10.16', 'jsforce-latest'] as const;
/**
 * Variants that run only when named with `--clients=`: forcekit with `tracked: false` on its queries,
 * to measure what tracked records cost.
 */
export const DIAGNOSTIC_CLIENTS = ['forcekit-tracked'] as const;
export type ClientName = (typeof CLIENT_NAMES)[number] | (typeof DIAGNOSTIC_CLIENTS)[number];

/** Where a client sends its requests: an instance URL and a session for `Authorization: Bearer`. */
export interface Target {
  readonly instanceUrl: string;
  readonly accessToken: string;
  readonly apiVersion: string;
}

/** One measured task for one client in a fresh worker process. */
export type Job =
  | {
      readonly task: 'query';
      /** `stream`: record by record, nothing kept; `collect`: every record in one array. */
      readonly mode: 'stream' | 'collect';
      readonly soql: string;
      /** How many records the query returns: the worker checks it read exactly these. */
      readonly expected: number;
    }
  | {
      readonly task: 'crud';
      /** Loops running create, retrieve, update at once. */
      readonly concurrency: number;
      readonly warmupMs: number;
      readonly durationMs: number;
    }
  | { readonly task: 'collections-create'; readonly count: number }
  /** Load the client and make its connection, nothing else: the process's baseline memory. */
  | { readonly task: 'idle' };

export interface JobRequest {
  readonly client: ClientName;
  /** The jsforce entry module to import (file URL), for the jsforce clients. */
  readonly jsforceUrl?: string | undefined;
  /** The library under test and its version (`jsforce 3.10.16`), echoed into the result's `runtime`. */
  readonly library: string;
  readonly target: Target;
  readonly job: Job;
}

/** What a worker measured. */
export interface JobResult {
  readonly ok: true;
  /** Records read or written, or requests sent, during the timed part. */
  readonly operations: number;
  readonly wallMs: number;
  /** The worker's user + system CPU time during the timed part. */
  readonly cpuMs: number;
  /** The worker's peak resident set size over its whole life (`process.resourceUsage().maxRSS`). */
  readonly maxRssMb: number;
  /** `node v22.23.3, jsforce 3.10.26`. */
  readonly runtime: string;
}

export interface JobFailure {
  readonly ok: false;
  readonly error: string;
}

/** Sent by the fixture server and the emulator once they listen. */
export interface ServerReady {
  readonly type: 'ready';
  readonly target: Target;
}

/** The emulator child's control messages: wipe the org's records between runs. */
export interface ResetRequest {
  readonly type: 'reset';
}
export interface ResetDone {
  readonly type: 'reset-done';
}
