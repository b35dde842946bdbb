/** How long to measure: `quick` by default, `full` with `--full`. */
export interface MeasureOptions {
  /** Number of timed samples; the reported figure is their median. */
  samples: number;
  /** Target duration of one sample, in milliseconds. */
  sampleMs: number;
  /** Untimed warm-up before the samples (JIT, caches), in milliseconds. */
  warmupMs: number;
}

export const QUICK: MeasureOptions = { samples: 7, sampleMs: 200, warmupMs: 400 };
export const FULL: MeasureOptions = { samples: 21, sampleMs: 500, warmupMs: 2000 };

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
}

export interface ScenarioResult {
  contenders: ContenderResult[];
  /** Facts a reader needs to interpret the numbers (what was compared, caveats). */
  notes: string[];
}

/**
 * A benchmark scenario: one module under `scenarios/`, registered in `scenarios/index.ts`. Scenarios
 * that need servers (query paging, CRUD, bulk, streaming) start and stop them inside `run`.
 */
export interface Scenario {
  /** Kebab-case name used on the command line, in RESULT lines and as the JSON file name. */
  name: string;
  description: string;
  run(options: MeasureOptions): Promise<ScenarioResult>;
}
