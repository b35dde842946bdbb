import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import type { Scenario, ScenarioResult } from './scenario.js';

const RESULTS_DIR = new URL('../results/', import.meta.url);

/** One machine-readable line per contender: `RESULT <scenario> <contender> ops_per_s=<n>`. */
export function resultLines(scenario: Scenario, result: ScenarioResult): string[] {
  return result.contenders.map(
    (contender) =>
      `RESULT ${scenario.name} ${contender.contender} ops_per_s=${Math.round(contender.opsPerSec)}`,
  );
}

function format(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** A small human table: median, spread and ratio to the fastest contender. */
export function table(scenario: Scenario, result: ScenarioResult): string {
  const fastest = Math.max(...result.contenders.map((contender) => contender.opsPerSec));
  const rows = result.contenders.map((contender) => [
    scenario.name,
    contender.contender,
    format(contender.opsPerSec),
    `${format(Math.min(...contender.samples))} - ${format(Math.max(...contender.samples))}`,
    `${(contender.opsPerSec / fastest).toFixed(2)}x`,
    format(contender.opsPerCpuSecond),
  ]);
  const header = [
    'scenario',
    'contender',
    'ops/s (median)',
    'ops/s (min - max)',
    'vs fastest',
    'ops per CPU-second',
  ];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] as string).length)),
  );
  const line = (cells: string[]) =>
    cells.map((cell, column) => cell.padEnd(widths[column] as number)).join('  ');
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

/** Write `results/<scenario>.json`; returns its path. */
export function writeJson(scenario: Scenario, result: ScenarioResult, mode: 'quick' | 'full'): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = new URL(`${scenario.name}.json`, RESULTS_DIR);
  const body = {
    scenario: scenario.name,
    description: scenario.description,
    mode,
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    // Other processes share the CPU; a high load average makes wall-clock figures unreliable.
    loadAverage: loadavg().map((value) => Number(value.toFixed(2))),
    results: result.contenders.map((contender) => ({
      contender: contender.contender,
      opsPerSec: Math.round(contender.opsPerSec),
      opsPerCpuSecond: Math.round(contender.opsPerCpuSecond),
      samples: contender.samples.map(Math.round),
    })),
    notes: result.notes,
  };
  writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
  return file.pathname;
}
