/** One entry of the `/limits` resource. */
export interface LimitValue {
  readonly Max: number;
  readonly Remaining: number;
}

export interface LimitsOptions {
  /** Daily API requests the org allows (`DailyApiRequests.Max`). Default 15,000 (Developer Edition). */
  readonly dailyApiRequests?: number;
  /**
   * Concurrent long-running API requests allowed. Default 25 (production orgs). A request is counted
   * once it has been in flight for `longRunningMs`, as Salesforce counts requests lasting 20 s or more.
   */
  readonly concurrentRequests?: number;
  /** How long a request must have been running to count as long-running. Default 20,000 ms. */
  readonly longRunningMs?: number;
}

export type AdmitResult =
  | { readonly kind: 'admitted'; readonly release: () => void }
  | { readonly kind: 'daily-limit' }
  | { readonly kind: 'concurrent-limit' };

const DAY_MS = 24 * 60 * 60 * 1000;

export const TOTAL_REQUESTS_MESSAGE = 'TotalRequests Limit exceeded.';
export const CONCURRENT_REQUESTS_MESSAGE = 'ConcurrentRequests (Concurrent API Requests) Limit exceeded.';

/**
 * Static entries of a Developer Edition org's `/limits` answer, so clients that read them find them;
 * `DailyApiRequests` and anything another area registers are computed from the org's state.
 */
const STATIC_LIMITS: Readonly<Record<string, LimitValue>> = {
  ConcurrentAsyncGetReportInstances: { Max: 200, Remaining: 200 },
  ConcurrentEinsteinDataInsightsStoryCreation: { Max: 5, Remaining: 5 },
  ConcurrentEinsteinDiscoveryStoryCreation: { Max: 2, Remaining: 2 },
  ConcurrentSyncReportRuns: { Max: 20, Remaining: 20 },
  DailyAnalyticsDataflowJobExecutions: { Max: 60, Remaining: 60 },
  DailyAnalyticsUploadedFilesSizeMB: { Max: 51200, Remaining: 51200 },
  DailyAsyncApexExecutions: { Max: 250000, Remaining: 250000 },
  DailyAsyncApexTests: { Max: 500, Remaining: 500 },
  DailyBulkApiBatches: { Max: 15000, Remaining: 15000 },
  DailyBulkV2QueryFileStorageMB: { Max: 976562, Remaining: 976562 },
  DailyBulkV2QueryJobs: { Max: 10000, Remaining: 10000 },
  DailyDurableGenericStreamingApiEvents: { Max: 10000, Remaining: 10000 },
  DailyDurableStreamingApiEvents: { Max: 10000, Remaining: 10000 },
  DailyEinsteinDataInsightsStoryCreation: { Max: 1000, Remaining: 1000 },
  DailyEinsteinDiscoveryPredictAPICalls: { Max: 50000, Remaining: 50000 },
  DailyEinsteinDiscoveryPredictionsByCDC: { Max: 500000, Remaining: 500000 },
  DailyEinsteinDiscoveryStoryCreation: { Max: 100, Remaining: 100 },
  DailyFunctionsApiCallLimit: { Max: 235000, Remaining: 235000 },
  DailyGenericStreamingApiEvents: { Max: 10000, Remaining: 10000 },
  DailyScratchOrgs: { Max: 6, Remaining: 6 },
  DailyStandardVolumePlatformEvents: { Max: 10000, Remaining: 10000 },
  DailyStreamingApiEvents: { Max: 10000, Remaining: 10000 },
  DailyWorkflowEmails: { Max: 405, Remaining: 405 },
  DataStorageMB: { Max: 5, Remaining: 5 },
  DurableStreamingApiConcurrentClients: { Max: 20, Remaining: 20 },
  FileStorageMB: { Max: 20, Remaining: 20 },
  HourlyAsyncReportRuns: { Max: 1200, Remaining: 1200 },
  HourlyDashboardRefreshes: { Max: 200, Remaining: 200 },
  HourlyDashboardResults: { Max: 5000, Remaining: 5000 },
  HourlyDashboardStatuses: { Max: 999999999, Remaining: 999999999 },
  HourlyLongTermIdMapping: { Max: 100000, Remaining: 100000 },
  HourlyManagedContentPublicRequests: { Max: 50000, Remaining: 50000 },
  HourlyODataCallout: { Max: 10000, Remaining: 10000 },
  HourlyPublishedPlatformEvents: { Max: 50000, Remaining: 50000 },
  HourlyPublishedStandardVolumePlatformEvents: { Max: 1000, Remaining: 1000 },
  HourlyShortTermIdMapping: { Max: 100000, Remaining: 100000 },
  HourlySyncReportRuns: { Max: 500, Remaining: 500 },
  HourlyTimeBasedWorkflow: { Max: 50, Remaining: 50 },
  MassEmail: { Max: 10, Remaining: 10 },
  MonthlyPlatformEventsUsageEntitlement: { Max: 0, Remaining: 0 },
  Package2VersionCreates: { Max: 6, Remaining: 6 },
  Package2VersionCreatesWithoutValidation: { Max: 500, Remaining: 500 },
  PermissionSetsAssignedToUsers: { Max: 10000, Remaining: 10000 },
  PrivateConnectOutboundCalloutHourlyLimitMB: { Max: 0, Remaining: 0 },
  PublishCallbackUsageInApex: { Max: 5000000, Remaining: 5000000 },
  SingleEmail: { Max: 15, Remaining: 15 },
  StreamingApiConcurrentClients: { Max: 20, Remaining: 20 },
};

/**
 * The org's API request limits: the daily request count (a 24-hour window on the org's clock) that
 * `Sforce-Limit-Info` reports, the concurrent long-running request limit, and the `/limits` document.
 */
export class ApiLimits {
  readonly #now: () => number;
  readonly #initial: Required<LimitsOptions>;
  #dailyMax: number;
  #concurrentMax: number;
  #longRunningMs: number;
  #used = 0;
  #windowStart: number;
  readonly #inFlight = new Set<{ readonly startedAt: number }>();
  readonly #computed = new Map<string, () => LimitValue>();
  readonly #overrides = new Map<string, LimitValue>();

  constructor(now: () => number, options: LimitsOptions = {}) {
    this.#now = now;
    this.#initial = {
      dailyApiRequests: checkCount('dailyApiRequests', options.dailyApiRequests ?? 15_000),
      concurrentRequests: checkCount('concurrentRequests', options.concurrentRequests ?? 25),
      longRunningMs: checkCount('longRunningMs', options.longRunningMs ?? 20_000),
    };
    this.#dailyMax = this.#initial.dailyApiRequests;
    this.#concurrentMax = this.#initial.concurrentRequests;
    this.#longRunningMs = this.#initial.longRunningMs;
    this.#windowStart = now();
  }

  get dailyApiRequests(): number {
    return this.#dailyMax;
  }

  get concurrentRequests(): number {
    return this.#concurrentMax;
  }

  get longRunningMs(): number {
    return this.#longRunningMs;
  }

  /** API requests counted in the current 24-hour window. */
  get used(): number {
    this.#roll();
    return this.#used;
  }

  /** Requests currently being handled. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  /** Changes limits while the org runs; omitted fields keep their value. */
  configure(options: LimitsOptions): void {
    if (options.dailyApiRequests !== undefined) {
      this.#dailyMax = checkCount('dailyApiRequests', options.dailyApiRequests);
    }
    if (options.concurrentRequests !== undefined) {
      this.#concurrentMax = checkCount('concurrentRequests', options.concurrentRequests);
    }
    if (options.longRunningMs !== undefined) {
      this.#longRunningMs = checkCount('longRunningMs', options.longRunningMs);
    }
  }

  /** Sets the number of API requests already used today (to start a test near the limit). */
  setUsed(used: number): void {
    this.#roll();
    this.#used = checkCount('used', used);
  }

  /**
   * Admits one API request: refuses it when the daily quota is spent or too many long-running requests
   * are in flight; otherwise counts it and returns `release`, to call when the response is finished.
   */
  admit(): AdmitResult {
    this.#roll();
    if (this.#used >= this.#dailyMax) return { kind: 'daily-limit' };
    const now = this.#now();
    let longRunning = 0;
    for (const request of this.#inFlight) {
      if (now - request.startedAt >= this.#longRunningMs) longRunning++;
    }
    if (longRunning >= this.#concurrentMax) return { kind: 'concurrent-limit' };
    this.#used++;
    const entry = { startedAt: now };
    this.#inFlight.add(entry);
    return { kind: 'admitted', release: () => this.#inFlight.delete(entry) };
  }

  /** The `Sforce-Limit-Info` header value, `api-usage=<used>/<max>`. */
  header(): string {
    return `api-usage=${this.used}/${this.#dailyMax}`;
  }

  /** Registers a limit computed from another area's state (data storage, bulk jobs...). */
  register(name: string, compute: () => LimitValue): void {
    this.#computed.set(name, compute);
  }

  /** Pins a `/limits` entry to a value (or removes the pin with `undefined`). */
  set(name: string, value: LimitValue | undefined): void {
    if (value === undefined) {
      this.#overrides.delete(name);
      return;
    }
    checkCount(`${name}.Max`, value.Max);
    checkCount(`${name}.Remaining`, value.Remaining);
    this.#overrides.set(name, { Max: value.Max, Remaining: value.Remaining });
  }

  /** The `/limits` document, keys in alphabetical order as Salesforce sends them. */
  snapshot(): Record<string, LimitValue> {
    const entries = new Map<string, LimitValue>(Object.entries(STATIC_LIMITS));
    entries.set('DailyApiRequests', {
      Max: this.#dailyMax,
      Remaining: Math.max(0, this.#dailyMax - this.used),
    });
    for (const [name, compute] of this.#computed) entries.set(name, compute());
    for (const [name, value] of this.#overrides) entries.set(name, value);
    const out: Record<string, LimitValue> = {};
    for (const name of [...entries.keys()].sort()) out[name] = entries.get(name) as LimitValue;
    return out;
  }

  /** Back to the limits the org started with, no usage and no pinned entries. */
  reset(): void {
    this.#dailyMax = this.#initial.dailyApiRequests;
    this.#concurrentMax = this.#initial.concurrentRequests;
    this.#longRunningMs = this.#initial.longRunningMs;
    this.#used = 0;
    this.#windowStart = this.#now();
    this.#overrides.clear();
  }

  #roll(): void {
    const now = this.#now();
    if (now - this.#windowStart < DAY_MS) return;
    this.#windowStart = now;
    this.#used = 0;
  }
}

function checkCount(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`${name} must be an integer >= 0, got ${value}`);
  }
  return value;
}

/** Salesforce bills most records at 2 KB of data storage. */
const RECORD_STORAGE_KB = 2;

/** `DataStorageMB` for a record count, against a Developer Edition's 5 MB by default. */
export function dataStorageLimit(recordCount: number, maxMb = 5): LimitValue {
  const usedMb = Math.ceil((recordCount * RECORD_STORAGE_KB) / 1024);
  return { Max: maxMb, Remaining: Math.max(0, maxMb - usedMb) };
}
