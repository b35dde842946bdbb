import { SeededRandom } from '../random.js';
import { compilePathPattern, normalizePath, type PathPattern } from './path-pattern.js';

/** Which requests a fault applies to, and how often it fires. */
export interface FaultScope {
  /** HTTP method or methods to match (case-insensitive). Default: any method. */
  readonly method?: string | readonly string[];
  /** A path glob (`/services/data/*\/query`, `**` crosses segments) or a RegExp. Default: any path. */
  readonly path?: PathPattern;
  /** Fire for the next `times` matching requests, then remove the fault. Default: every time. */
  readonly times?: number;
  /** Fire for this fraction of matching requests, drawn from the org's seeded generator. Default 1. */
  readonly probability?: number;
}

export interface LatencyFaultOptions extends FaultScope {
  /** Delay before the handler runs, in ms. */
  readonly ms: number;
}

export interface ErrorFaultOptions extends FaultScope {
  /** HTTP status to answer with. */
  readonly status: number;
  /** Salesforce `errorCode`. Default by status (`SERVER_UNAVAILABLE` for 503, `UNKNOWN_EXCEPTION` for 500...). */
  readonly errorCode?: string;
  /** Error message. Default: Salesforce's wording for the code, when the emulator knows it. */
  readonly message?: string;
  readonly fields?: readonly string[];
  /** A whole response body instead of the `[{ message, errorCode }]` array (string bodies go as text). */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface DropFaultOptions extends FaultScope {
  /**
   * `before-response`: the socket closes before any byte of the response (the request may have been
   * handled or not: the client cannot tell). `mid-response`: the handler runs, the status line, headers
   * and part of the body are sent, then the socket closes. Default `before-response`.
   */
  readonly when?: DropPoint;
}

export type DropPoint = 'before-response' | 'mid-response';

export type FaultSpec =
  | ({ readonly kind: 'latency' } & LatencyFaultOptions)
  | ({ readonly kind: 'error' } & ErrorFaultOptions)
  | ({ readonly kind: 'drop' } & DropFaultOptions)
  | ({ readonly kind: 'expire-sessions' } & FaultScope);

/** An installed fault, as `org.faults.list()` and `GET /__emulator/faults` report it. */
export interface FaultInfo {
  readonly id: string;
  readonly kind: FaultSpec['kind'];
  readonly methods: readonly string[] | null;
  readonly path: string | null;
  /** Matching requests it will still fire for; null when unlimited. */
  readonly remaining: number | null;
  readonly probability: number;
  /** How many times it has fired. */
  readonly hits: number;
}

/** A live handle on one installed fault. */
export interface FaultHandle {
  readonly id: string;
  /** How many times it has fired so far. */
  readonly hits: number;
  /** True while it is installed (a `times` fault removes itself after its last hit). */
  readonly active: boolean;
  remove(): void;
}

export type FaultOutcome =
  | {
      readonly kind: 'error';
      readonly status: number;
      readonly body: unknown;
      readonly headers: Readonly<Record<string, string>>;
    }
  | { readonly kind: 'drop'; readonly when: DropPoint };

/** What the faults that fire for one request ask the pipeline to do. */
export interface FaultDecision {
  readonly latencyMs: number;
  readonly expireSessions: boolean;
  /** The first firing error or drop fault, in installation order. */
  readonly outcome: FaultOutcome | undefined;
}

interface Installed {
  readonly id: string;
  readonly spec: FaultSpec;
  readonly methods: readonly string[] | null;
  readonly pattern: RegExp | null;
  remaining: number | null;
  hits: number;
}

const DEFAULT_ERROR_CODES: Readonly<Record<number, string>> = {
  400: 'BAD_REQUEST',
  401: 'INVALID_SESSION_ID',
  403: 'REQUEST_LIMIT_EXCEEDED',
  404: 'NOT_FOUND',
  500: 'UNKNOWN_EXCEPTION',
  502: 'BAD_GATEWAY',
  503: 'SERVER_UNAVAILABLE',
};

const DEFAULT_MESSAGES: Readonly<Record<string, string>> = {
  INVALID_SESSION_ID: 'Session expired or invalid',
  REQUEST_LIMIT_EXCEEDED: 'TotalRequests Limit exceeded.',
  NOT_FOUND: 'The requested resource does not exist',
  UNKNOWN_EXCEPTION:
    'An unexpected error occurred. Please include this ErrorId if you contact support: 1398574031-180811 (-1140461744)',
  SERVER_UNAVAILABLE: 'Server unavailable, please try again later.',
};

const NO_FAULT: FaultDecision = { latencyMs: 0, expireSessions: false, outcome: undefined };

/** The error fault behind `unableToLockRow()`: 400 `UNABLE_TO_LOCK_ROW` with Salesforce's wording. */
export function unableToLockRowSpec(scope: FaultScope): FaultSpec {
  return {
    ...scope,
    kind: 'error',
    status: 400,
    errorCode: 'UNABLE_TO_LOCK_ROW',
    message: 'unable to obtain exclusive access to this record or 1 records: 001000000000000AAA',
    fields: [],
  };
}

/**
 * Faults a test injects: latency, error answers, dropped connections and session expiry, for requests
 * matching a method and path, every time, the next N times or a seeded fraction of the time.
 * The emulator's control routes (`/__emulator/...`) are never affected.
 */
export class FaultInjector {
  readonly #faults: Installed[] = [];
  readonly #seed: number;
  #random: SeededRandom;
  #nextId = 1;

  constructor(seed = 1) {
    this.#seed = seed;
    this.#random = new SeededRandom(seed);
  }

  /** Delays matching requests by `ms` before they are handled. */
  latency(ms: number, scope: FaultScope = {}): FaultHandle {
    return this.add({ ...scope, kind: 'latency', ms });
  }

  /** Answers matching requests with an error status and Salesforce's error array. */
  error(options: ErrorFaultOptions): FaultHandle {
    return this.add({ ...options, kind: 'error' });
  }

  /** Closes the connection of matching requests before or in the middle of the response. */
  dropConnection(options: DropFaultOptions = {}): FaultHandle {
    return this.add({ ...options, kind: 'drop' });
  }

  /** Expires every session just before a matching request is authenticated (so it gets the 401). */
  expireSessions(scope: FaultScope = {}): FaultHandle {
    return this.add({ ...scope, kind: 'expire-sessions' });
  }

  /**
   * Answers matching requests with 400 `UNABLE_TO_LOCK_ROW`, the record-lock contention error that
   * clients should retry.
   */
  unableToLockRow(scope: FaultScope = {}): FaultHandle {
    return this.add(unableToLockRowSpec(scope));
  }

  /** Installs a fault from its plain description (what the HTTP control route receives). */
  add(spec: FaultSpec): FaultHandle {
    validate(spec);
    const installed: Installed = {
      id: `fault-${this.#nextId++}`,
      spec,
      methods:
        spec.method === undefined
          ? null
          : (typeof spec.method === 'string' ? [spec.method] : spec.method).map((m) => m.toUpperCase()),
      pattern: spec.path === undefined ? null : compilePathPattern(spec.path),
      remaining: spec.times ?? null,
      hits: 0,
    };
    this.#faults.push(installed);
    const faults = this.#faults;
    return {
      id: installed.id,
      get hits() {
        return installed.hits;
      },
      get active() {
        return faults.includes(installed);
      },
      remove: () => this.remove(installed.id),
    };
  }

  remove(id: string): boolean {
    const index = this.#faults.findIndex((fault) => fault.id === id);
    if (index < 0) return false;
    this.#faults.splice(index, 1);
    return true;
  }

  clear(): void {
    this.#faults.length = 0;
  }

  /** Restarts the generator behind `probability`, for a repeatable sequence from here on. */
  reseed(seed: number): void {
    this.#random = new SeededRandom(seed);
  }

  /** No faults, and the generator back at the seed the org started with (`org.reset()`). */
  reset(): void {
    this.clear();
    this.reseed(this.#seed);
  }

  list(): FaultInfo[] {
    return this.#faults.map((fault) => ({
      id: fault.id,
      kind: fault.spec.kind,
      methods: fault.methods,
      path: fault.spec.path === undefined ? null : String(fault.spec.path),
      remaining: fault.remaining,
      probability: fault.spec.probability ?? 1,
      hits: fault.hits,
    }));
  }

  /** Decides, once per request, which faults fire for it (consuming `times` and random draws). */
  evaluate(method: string, path: string): FaultDecision {
    if (this.#faults.length === 0) return NO_FAULT;
    const normalized = normalizePath(path);
    let latencyMs = 0;
    let expireSessions = false;
    let outcome: FaultOutcome | undefined;
    for (const fault of [...this.#faults]) {
      if (fault.methods !== null && !fault.methods.includes(method.toUpperCase())) continue;
      if (fault.pattern !== null && !fault.pattern.test(normalized)) continue;
      const spec = fault.spec;
      // An error or drop only fires when no earlier one did, so a `times` fault is not used up unseen.
      if ((spec.kind === 'error' || spec.kind === 'drop') && outcome !== undefined) continue;
      if (spec.probability !== undefined && this.#random.next() >= spec.probability) continue;
      fault.hits++;
      if (fault.remaining !== null && --fault.remaining <= 0) this.remove(fault.id);
      switch (spec.kind) {
        case 'latency':
          latencyMs += spec.ms;
          break;
        case 'expire-sessions':
          expireSessions = true;
          break;
        case 'drop':
          outcome = { kind: 'drop', when: spec.when ?? 'before-response' };
          break;
        case 'error':
          outcome = {
            kind: 'error',
            status: spec.status,
            body: errorBody(spec),
            headers: spec.headers ?? {},
          };
          break;
      }
    }
    return { latencyMs, expireSessions, outcome };
  }
}

function errorBody(spec: ErrorFaultOptions): unknown {
  if (spec.body !== undefined) return spec.body;
  const errorCode = spec.errorCode ?? DEFAULT_ERROR_CODES[spec.status] ?? 'UNKNOWN_EXCEPTION';
  const message = spec.message ?? DEFAULT_MESSAGES[errorCode] ?? errorCode;
  return [spec.fields === undefined ? { message, errorCode } : { message, errorCode, fields: spec.fields }];
}

function validate(spec: FaultSpec): void {
  if (spec.times !== undefined && (!Number.isInteger(spec.times) || spec.times < 1)) {
    throw new RangeError(`times must be an integer >= 1, got ${spec.times}`);
  }
  if (
    spec.probability !== undefined &&
    (!Number.isFinite(spec.probability) || spec.probability < 0 || spec.probability > 1)
  ) {
    throw new RangeError(`probability must be between 0 and 1, got ${spec.probability}`);
  }
  if (spec.kind === 'latency' && (!Number.isFinite(spec.ms) || spec.ms < 0)) {
    throw new RangeError(`ms must be a number >= 0, got ${spec.ms}`);
  }
  if (spec.kind === 'error' && (!Number.isInteger(spec.status) || spec.status < 100 || spec.status > 599)) {
    throw new RangeError(`status must be an HTTP status code (100-599), got ${spec.status}`);
  }
}
