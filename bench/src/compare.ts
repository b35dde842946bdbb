// What every I/O scenario does: run one job for each client in fresh worker processes, in alternating
// rounds, against a server of the scenario's own, and say which clients could not run and why.
import { CLIENT_NAMES, type Job, type Target } from './child/protocol.js';
import { runWorker } from './children.js';
import { measureProcesses } from './measure.js';
import { type ClientRuntime, clientRuntimes } from './runtimes.js';
import type { ContenderResult, MeasureOptions } from './scenario.js';

export interface CompareOptions {
  /** The scenario's name (it names CPU profiles). */
  readonly scenario: string;
  readonly worker: string;
  readonly target: Target;
  readonly job: Job;
  readonly options: MeasureOptions;
  /** Runs before each measured run (e.g. empty the emulator's org). */
  readonly beforeRun?: () => Promise<void>;
}

export interface Comparison {
  readonly contenders: ContenderResult[];
  /** One line per client: what it ran on, or why it could not run. */
  readonly notes: string[];
}

export async function compareClients(compare: CompareOptions): Promise<Comparison> {
  const all = clientRuntimes();
  const wanted: readonly string[] = compare.options.clients ?? CLIENT_NAMES;
  const runtimes = all.runtimes.filter((runtime) => wanted.includes(runtime.name));
  const unavailable = all.unavailable.filter((entry) => wanted.includes(entry.name));
  const run = (runtime: ClientRuntime) => async () => {
    await compare.beforeRun?.();
    return runWorker(compare.worker, runtime, compare.target, compare.job, {
      cpuProfileDir: compare.options.cpuProfileDir,
      label: compare.scenario,
    });
  };
  const contenders = await measureProcesses(
    runtimes.map((runtime) => ({ contender: runtime.name, run: run(runtime) })),
    compare.options.rounds,
  );
  return {
    contenders,
    notes: [
      ...contenders.map((result) => `${result.contender}: ${result.runtime ?? ''}`),
      ...unavailable.map((entry) => `${entry.name}: not run: ${entry.reason}`),
    ],
  };
}

let idle: Promise<string> | undefined;

/**
 * The peak RSS of each client's worker after loading the client and making its connection, before any
 * request: the part of every RSS figure that is Node plus the library's code. Measured once per runner.
 */
export function idleMemoryNote(worker: string, target: Target, options: MeasureOptions): Promise<string> {
  idle ??= (async () => {
    const parts: string[] = [];
    const wanted: readonly string[] = options.clients ?? CLIENT_NAMES;
    for (const runtime of clientRuntimes().runtimes) {
      if (!wanted.includes(runtime.name)) continue;
      const result = await runWorker(worker, runtime, target, { task: 'idle' });
      parts.push(`${runtime.name} ${Math.round(result.maxRssMb)} MB`);
    }
    return `peak RSS of an idle worker (Node + the client loaded, no request): ${parts.join(', ')}`;
  })();
  return idle;
}
