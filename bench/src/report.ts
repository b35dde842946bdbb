import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import type { ContenderResult, MeasureOptions, Scenario, ScenarioResult } from './scenario.js';

const RESULTS_DIR = new URL('../results/', import.meta.url);

function unitOf(result: ScenarioResult): string {
  return result.unit ?? 'ops';
}

/**
 * The machine-readable lines: `RESULT <scenario> <contender> <unit>_per_s=<n>` per contender, and
 * `RESULT <scenario> <contender> rss_mb=<n>` when its peak RSS was measured.
 */
export function resultLines(scenario: Scenario, result: ScenarioResult): string[] {
  const unit = unitOf(result);
  return result.contenders.flatMap((contender) => [
    `RESULT ${scenario.name} ${contender.contender} ${unit}_per_s=${Math.round(contender.opsPerSec)}`,
    ...(contender.rssMb === undefined
      ? []
      : [`RESULT ${scenario.name} ${contender.contender} rss_mb=${Math.round(contender.rssMb)}`]),
  ]);
}

function format(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function ratio(value: number, base: number): string {
  return `${(value / base).toFixed(2)}x`;
}

/**
 * A small human table: median, spread, ratio to the baseline (or to the fastest contender), the rate
 * per CPU-second and, when measured, the peak RSS.
 */
export function table(scenario: Scenario, result: ScenarioResult): string {
  const unit = unitOf(result);
  const baseline = result.contenders.find((contender) => contender.contender === result.baseline);
  const reference = baseline?.opsPerSec ?? Math.max(...result.contenders.map((c) => c.opsPerSec));
  const withRss = result.contenders.some((contender) => contender.rssMb !== undefined);
  const rows = result.contenders.map((contender) => [
    scenario.name,
    contender.contender,
    format(contender.opsPerSec),
    `${format(Math.min(...contender.samples))} - ${format(Math.max(...contender.samples))}`,
    ratio(contender.opsPerSec, reference),
    format(contender.opsPerCpuSecond),
    ...(withRss ? [contender.rssMb === undefined ? '' : format(contender.rssMb)] : []),
  ]);
  const header = [
    'scenario',
    'contender',
    `${unit}/s (median)`,
    `${unit}/s (min - max)`,
    baseline === undefined ? 'vs fastest' : `vs ${baseline.contender}`,
    `${unit} per CPU-second`,
    ...(withRss ? ['peak RSS MB (median)'] : []),
  ];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] as string).length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] as number))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

/** `forcekit: 0.97x raw-undici, 2.31x jsforce-3.10.16; peak RSS 1.02x raw-undici`, when forcekit ran. */
export function forcekitRatios(result: ScenarioResult): string | undefined {
  const forcekit = result.contenders.find((contender) => contender.contender === 'forcekit');
  if (forcekit === undefined) return undefined;
  const others = result.contenders.filter((contender) => contender !== forcekit);
  if (others.length === 0) return undefined;
  const speed = others.map((other) => `${ratio(forcekit.opsPerSec, other.opsPerSec)} ${other.contender}`);
  const baseline = others.find((other) => other.contender === result.baseline);
  const memory =
    forcekit.rssMb !== undefined && baseline?.rssMb !== undefined
      ? `; peak RSS ${ratio(forcekit.rssMb, baseline.rssMb)} ${baseline.contender}'s`
      : '';
  return `forcekit ${unitOf(result)}/s: ${speed.join(', ')}${memory}`;
}

/** Numbers a smoke run must have produced: finite and positive. Returns what is wrong, if anything. */
export function invalidNumbers(result: ScenarioResult): string[] {
  const problems: string[] = [];
  if (result.contenders.length === 0) problems.push('no contender produced a result');
  const check = (contender: ContenderResult, what: string, value: number | undefined) => {
    if (value !== undefined && !(Number.isFinite(value) && value > 0)) {
      problems.push(`${contender.contender} ${what} is ${value}`);
    }
  };
  for (const contender of result.contenders) {
    check(contender, 'ops/s', contender.opsPerSec);
    check(contender, 'ops per CPU-second', contender.opsPerCpuSecond);
    check(contender, 'peak RSS', contender.rssMb);
    for (const sample of contender.samples) check(contender, 'a sample', sample);
  }
  return problems;
}

/** The machine the numbers come from. Other processes share the CPU: keep the load average with them. */
export function machine(): {
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  platform: string;
  loadAverage: number[];
} {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    loadAverage: loadavg().map((value) => Number(value.toFixed(2))),
  };
}

/** Write `results/<scenario>.json`; returns its path. */
export function writeJson(
  scenario: Scenario,
  result: ScenarioResult,
  mode: MeasureOptions['mode'],
  loadBefore: number[],
): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = new URL(`${scenario.name}.json`, RESULTS_DIR);
  const { loadAverage, ...host } = machine();
  const body = {
    scenario: scenario.name,
    description: scenario.description,
    mode,
    date: new Date().toISOString(),
    ...host,
    // Other processes share the CPU; a high load average makes wall-clock figures unreliable.
    loadAverage,
    loadAverageBefore: loadBefore,
    unit: unitOf(result),
    baseline: result.baseline,
    results: result.contenders.map((contender) => ({
      contender: contender.contender,
      runtime: contender.runtime,
      opsPerSec: Math.round(contender.opsPerSec),
      opsPerCpuSecond: Math.round(contender.opsPerCpuSecond),
      samples: contender.samples.map(Math.round),
      rssMb: contender.rssMb === undefined ? undefined : Math.round(contender.rssMb),
      rssSamples: contender.rssSamples?.map(Math.round),
    })),
    forcekit: forcekitRatios(result),
    notes: result.notes,
  };
  writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
  return file.pathname;
}
