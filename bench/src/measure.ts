import { performance } from 'node:perf_hooks';
import type { JobResult } from './child/protocol.js';
import type { ContenderResult, MeasureOptions } from './scenario.js';

// Results are folded into this value so the engine cannot drop an operation whose result is unused.
let sink = 0;

function consume(value: unknown): void {
  sink = (sink + (typeof value === 'string' ? value.length : 1)) | 0;
}

function isPromise(value: unknown): value is Promise<unknown> {
  return typeof (value as Promise<unknown> | null)?.then === 'function';
}

function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** Runs `count` operations; returns the wall-clock and the process CPU milliseconds they took. */
async function runBatch(
  operation: () => unknown,
  count: number,
  awaited: boolean,
): Promise<{ wall: number; cpu: number }> {
  const cpuStart = cpuMs();
  const start = performance.now();
  if (awaited) {
    for (let i = 0; i < count; i++) consume(await operation());
  } else {
    for (let i = 0; i < count; i++) consume(operation());
  }
  return { wall: performance.now() - start, cpu: cpuMs() - cpuStart };
}

/** The middle value (the mean of the two middle values for an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** One contender of a comparison: a name and the operation to time. */
export interface Contender {
  contender: string;
  operation: () => unknown;
}

interface Prepared extends Contender {
  awaited: boolean;
  batch: number;
  samples: number[];
  cpuSamples: number[];
}

/** Warm `operation` up and size its batches from the warm-up rate so one sample lasts about sampleMs. */
async function prepare(entry: Contender, options: MeasureOptions): Promise<Prepared> {
  const awaited = isPromise(entry.operation());
  let iterations = 0;
  const start = performance.now();
  while (performance.now() - start < options.warmupMs) {
    await runBatch(entry.operation, 100, awaited);
    iterations += 100;
  }
  const batch = Math.max(1, Math.round((iterations / (performance.now() - start)) * options.sampleMs));
  return { ...entry, awaited, batch, samples: [], cpuSamples: [] };
}

/**
 * Operations per second of each contender, by the wall clock and per second of process CPU time (the
 * second is steadier on a shared, busy machine). Operations are sync, or async and awaited one at a
 * time. Samples are taken in rounds, one batch of each contender per round, so that load from other
 * processes falls on all contenders alike.
 */
export async function measureOps(
  contenders: Contender[],
  options: MeasureOptions,
): Promise<ContenderResult[]> {
  const prepared: Prepared[] = [];
  for (const entry of contenders) prepared.push(await prepare(entry, options));
  for (let round = 0; round < options.samples; round++) {
    for (const entry of prepared) {
      const { wall, cpu } = await runBatch(entry.operation, entry.batch, entry.awaited);
      entry.samples.push((entry.batch / wall) * 1000);
      entry.cpuSamples.push((entry.batch / Math.max(cpu, 0.001)) * 1000);
    }
  }
  if (sink === Number.MIN_SAFE_INTEGER) console.log(sink);
  return prepared.map((entry) => ({
    contender: entry.contender,
    opsPerSec: median(entry.samples),
    samples: entry.samples,
    opsPerCpuSecond: median(entry.cpuSamples),
  }));
}

/** One contender of a comparison measured in its own processes: each call of `run` is one fresh run. */
export interface ProcessContender {
  contender: string;
  run: () => Promise<JobResult>;
}

/**
 * Runs each contender `rounds` times, one run of each per round, the order rotating from round to round
 * so that no contender always runs first or last (a busy machine's load then falls on all alike).
 * Reports the medians of operations per second, per CPU-second and of peak RSS.
 */
export async function measureProcesses(
  contenders: ProcessContender[],
  rounds: number,
): Promise<ContenderResult[]> {
  const results = contenders.map(() => [] as JobResult[]);
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < contenders.length; k++) {
      const index = (k + round) % contenders.length;
      (results[index] as JobResult[]).push(await (contenders[index] as ProcessContender).run());
    }
  }
  return contenders.map((entry, index) => {
    const runs = results[index] as JobResult[];
    const samples = runs.map((run) => (run.operations / run.wallMs) * 1000);
    const rssSamples = runs.map((run) => run.maxRssMb);
    return {
      contender: entry.contender,
      opsPerSec: median(samples),
      samples,
      opsPerCpuSecond: median(runs.map((run) => (run.operations / Math.max(run.cpuMs, 0.001)) * 1000)),
      rssMb: median(rssSamples),
      rssSamples,
      runtime: runs[0]?.runtime,
    };
  });
}
