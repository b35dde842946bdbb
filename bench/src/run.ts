// The benchmark runner: `pnpm bench [--full] [filter...]`. Runs every scenario whose name contains one
// of the filters (all when none is given), prints RESULT lines and a table, and writes
// results/<scenario>.json. Never part of `pnpm test`.
import { loadavg } from 'node:os';
import { resultLines, table, writeJson } from './report.js';
import { FULL, QUICK } from './scenario.js';
import { scenarios } from './scenarios/index.js';

function usage(): string {
  return [
    'usage: pnpm bench [--full] [--list] [filter...]',
    '  --full   longer warm-up and more samples (default: a quick run)',
    '  --list   list the scenarios and exit',
    '  filter   run only scenarios whose name contains it',
    '',
    'scenarios:',
    ...scenarios.map((scenario) => `  ${scenario.name.padEnd(20)} ${scenario.description}`),
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const flags = argv.filter((arg) => arg.startsWith('--'));
  const filters = argv.filter((arg) => !arg.startsWith('--'));
  const unknown = flags.filter((flag) => !['--full', '--list', '--help'].includes(flag));
  if (unknown.length > 0) {
    console.error(`unknown option ${unknown.join(', ')}\n\n${usage()}`);
    return 2;
  }
  if (flags.includes('--help') || flags.includes('--list')) {
    console.log(usage());
    return 0;
  }
  const selected = scenarios.filter(
    (scenario) => filters.length === 0 || filters.some((filter) => scenario.name.includes(filter)),
  );
  if (selected.length === 0) {
    console.error(`no scenario matches ${filters.join(', ')}\n\n${usage()}`);
    return 2;
  }
  const mode = flags.includes('--full') ? 'full' : 'quick';
  const load = loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
  console.log(
    `forcekit bench (${mode}), node ${process.version}, ${process.platform}-${process.arch}, load average ${load}\n`,
  );
  for (const scenario of selected) {
    console.log(`# ${scenario.name}: ${scenario.description}`);
    const result = await scenario.run(mode === 'full' ? FULL : QUICK);
    for (const note of result.notes) console.log(`  ${note}`);
    console.log('');
    console.log(table(scenario, result));
    console.log('');
    for (const line of resultLines(scenario, result)) console.log(line);
    console.log(`\nwrote ${writeJson(scenario, result, mode)}\n`);
  }
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
