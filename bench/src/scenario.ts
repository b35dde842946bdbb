/** How long to measure: `quick` by default, `full` with `--full`, `smoke` with `--smoke`. */
export interface MeasureOptions {
  readonly mode: 'quick' | 'full' | 'smoke';
  /** Number of timed samples; the reported figure is their median. */
  samples: number;
  /** Target duration of one sample, in milliseconds. */
  sampleMs: number;
  /** Untimed warm-up before the samples (JIT, caches), in milliseconds. */
  warmupMs: number;
  /**
   * Scenarios that measure each client in its own process: runs (processes) per client, taken in
   * alternating rounds; the reported figure is their median.
   */
  rounds: number;
  /** Write a V8 CPU profile of every client worker into this folder (`--cpu-prof`). */
  cpuProfileDir?: string | undefined;
  /** Run only these clients in the client-comparing scenarios (`--clients=forcekit,raw-undici`). */
  clients?: readonly string[] | undefined;
}

export const QUICK: MeasureOptions = { mode: 'quick', samples: 7, sampleMs: 200, warmupMs: 400, rounds: 3 };
export const FULL: MeasureOptions = { mode: 'full', samples: 21, sampleMs: 500, warmupMs: 2000, rounds: 7 };
/** One short round of everything: checks that each scenario runs and yields finite numbers. */
export const SMOKE: MeasureOptions = { mode: 'smoke', samples: 1, sampleMs: 20, warmupMs: 20, rounds: 1 };

/** One side of a comparison: forcekit, jsforce, raw undici... */
export interface ContenderResult {
  /** Stable name used in RESULT lines and JSON (`forcekit`, `jsforce-3.10.16`). */
  contender: string;
  /** Median operations per second across the samples. */
  opsPerSec: number;
  /** Every sample's operations per second, in the order taken. */
  samples: number[];
  /** Median operations per second of process CPU time: less sensitive to other load on the machine. */
  opsPerCpuSecond: number;
  /** Median peak RSS (MB) of the contender's own process, when it ran in one. */
  rssMb?: number | undefined;
  /** Every run's peak RSS (MB). */
  rssSamples?: number[] | undefined;
  /** What it ran on, when not the runner's own process: `node v22.23.3, jsforce 3.10.26`. */
  runtime?: string | undefined;
}

export interface ScenarioResult {
  contenders: ContenderResult[];
  /** Facts a reader needs to interpret the numbers (what was compared, caveats). */
  notes: string[];
  /** What one operation is, for RESULT lines and the table: `records` gives `records_per_s`. Default `ops`. */
  unit?: string | undefined;
  /** The contender the others are compared with in the table (`raw-undici`, the floor). */
  baseline?: string | undefined;
}

/**
 * A benchmark scenario: one module under `scenarios/`, registered in `scenarios/index.ts`. Scenarios
 * that need servers (query paging, CRUD, bulk, streaming) start and stop them inside `run`.
 */
export interface Scenario {
  /** Kebab-case name used on the command line, in RESULT lines and as the JSON file name. */
  name: string;
  description: string;
  /** Left out of quick runs (it still runs with `--full`, `--smoke`, or when a filter names it). */
  fullOnly?: boolean | undefined;
  run(options: MeasureOptions): Promise<ScenarioResult>;
}
