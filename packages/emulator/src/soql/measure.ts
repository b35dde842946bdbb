/**
 * Measures the engine at scale; not part of the test suite. Run from packages/emulator:
 *
 *   npx tsx --expose-gc src/soql/measure.ts [rows]
 *
 * 1. Evaluates `SELECT Id, Name, Industry FROM Account WHERE AnnualRevenue > 1000 ORDER BY Name` over
 *    `rows` (default 1,000,000) in-memory Accounts: time and the heap the result holds.
 * 2. The same ordering with LIMIT 10, which selects the top rows without sorting them all.
 * 3. Renders 500 pages of 2000 records of a 1,000,000-row result, timing each page, to show that the
 *    last page costs what the first does (pages only slice and render).
 */
import { performance } from 'node:perf_hooks';
import { executeSoql } from './execute.js';
import type { RenderContext } from './result-set.js';
import { TestOrgData } from './test-support.js';

const rows = Number(process.argv[2] ?? 1_000_000);
const PAGE = 2000;
const PAGES = 500;
const INDUSTRIES = ['Energy', 'Media', 'Technology', null];
const ctx: RenderContext = { childLocator: () => '' };
const options = { includeDeleted: false, apiVersion: '62.0' };
const gc = (globalThis as { gc?: () => void }).gc;
const heapMb = (): number => {
  // Twice: the first full collection can leave garbage that only the second one frees.
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
};
const ms = (start: number): string => `${(performance.now() - start).toFixed(1)} ms`;

// A cheap deterministic generator, so runs are comparable.
let seed = 42;
const random = (): number => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};
const syllables = ['ac', 'me', 'glo', 'bex', 'tri', 'nor', 'vant', 'sol', 'ka', 'zen', 'dyn', 'or'];
const name = (): string =>
  Array.from({ length: 3 }, () => syllables[Math.floor(random() * syllables.length)]).join('') +
  ` ${Math.floor(random() * 100_000)}`;

let start = performance.now();
const data = new TestOrgData();
for (let i = 0; i < rows; i++) {
  data.insert('Account', {
    Name: name(),
    Industry: INDUSTRIES[i % INDUSTRIES.length] ?? null,
    AnnualRevenue: Math.floor(random() * 2000),
  });
}
console.log(`generated ${rows.toLocaleString()} Accounts in ${ms(start)}`);

const before = heapMb();
start = performance.now();
const filtered = executeSoql(
  'SELECT Id, Name, Industry FROM Account WHERE AnnualRevenue > 1000 ORDER BY Name',
  data,
  options,
);
const evaluation = ms(start);
const peak = process.memoryUsage().heapUsed / 1024 / 1024 - before;
const held = heapMb() - before;
console.log(
  `evaluate WHERE AnnualRevenue > 1000 ORDER BY Name: ${filtered.totalSize.toLocaleString()} rows in ${evaluation}; ` +
    `heap +${peak.toFixed(0)} MB right after evaluating (sort keys and garbage), ` +
    `${held.toFixed(1)} MB held after GC (the result is one array of row references, ` +
    `~${((filtered.size * 8) / 1024 / 1024).toFixed(1)} MB; heap ${before.toFixed(0)} MB with the data)`,
);

start = performance.now();
const top = executeSoql('SELECT Id, Name FROM Account ORDER BY Name DESC LIMIT 10', data, options);
console.log(
  `evaluate ORDER BY Name DESC LIMIT 10 (top rows without a full sort): ${top.size} rows in ${ms(start)}`,
);

start = performance.now();
const all = executeSoql('SELECT Id, Name, Industry FROM Account ORDER BY Name', data, options);
console.log(`evaluate ORDER BY Name over all rows: ${all.totalSize.toLocaleString()} rows in ${ms(start)}`);

const pages = Math.min(PAGES, Math.floor(all.size / PAGE));
const pageTimes: number[] = [];
for (let p = 0; p < pages; p++) {
  const t = performance.now();
  const page = all.page(p * PAGE, (p + 1) * PAGE, ctx);
  pageTimes.push(performance.now() - t);
  if (page.length !== PAGE) throw new Error(`page ${p} has ${page.length} records`);
}
const average = (values: number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;
const firstTen = average(pageTimes.slice(0, 10));
const lastTen = average(pageTimes.slice(-10));
console.log(
  `rendered ${pages} pages of ${PAGE}: total ${pageTimes.reduce((a, b) => a + b, 0).toFixed(0)} ms, ` +
    `first 10 pages avg ${firstTen.toFixed(2)} ms, last 10 pages avg ${lastTen.toFixed(2)} ms, ` +
    `median ${[...pageTimes].sort((a, b) => a - b)[Math.floor(pages / 2)]?.toFixed(2)} ms`,
);
