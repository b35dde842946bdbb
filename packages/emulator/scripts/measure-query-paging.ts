/**
 * Measures generating 1,000,000 Accounts and paging through all of them with queryMore over HTTP.
 * Not part of the test suite. Run from the repository root:
 *
 *   npx tsx --conditions=@forcekit/source packages/emulator/scripts/measure-query-paging.ts [count]
 *
 * Prints the generate time, the time of the first, middle and last pages (they should be flat: a page
 * is a slice of the result evaluated once), the total paging time and the peak RSS.
 */
import { startEmulator } from '../src/index.js';

const count = Number(process.argv[2] ?? 1_000_000);
const mb = (bytes: number) => `${Math.round(bytes / 1_048_576)} MB`;
let peakRss = process.memoryUsage().rss;
const sample = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};

const emulator = await startEmulator();
const { accessToken, apiVersion } = emulator.credentials;
const headers = { Authorization: `Bearer ${accessToken}` };

let started = performance.now();
emulator.org.generate('Account', count);
const generateMs = performance.now() - started;
sample();
console.log(
  `generated ${count.toLocaleString('en-US')} Accounts in ${(generateMs / 1000).toFixed(2)} s (rss ${mb(process.memoryUsage().rss)})`,
);

interface Page {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: unknown[];
}

const pageMs: number[] = [];
let rows = 0;
let url: string | undefined =
  `/services/data/v${apiVersion}/query?q=${encodeURIComponent('SELECT Id, Name, Industry, CreatedDate FROM Account')}`;
started = performance.now();
while (url !== undefined) {
  const t0 = performance.now();
  const res = await fetch(`${emulator.url}${url}`, { headers });
  const page = (await res.json()) as Page;
  pageMs.push(performance.now() - t0);
  if (res.status !== 200)
    throw new Error(`page ${pageMs.length}: HTTP ${res.status} ${JSON.stringify(page)}`);
  rows += page.records.length;
  url = page.done ? undefined : page.nextRecordsUrl;
  if (pageMs.length % 50 === 0) sample();
}
const totalMs = performance.now() - started;
sample();
await emulator.stop();

const at = (i: number) => (pageMs[i] as number).toFixed(1);
const middle = Math.floor(pageMs.length / 2);
const sorted = [...pageMs].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)] as number;
const firstTen = pageMs.slice(1, 11).reduce((a, b) => a + b, 0) / 10;
const lastTen = pageMs.slice(-10).reduce((a, b) => a + b, 0) / 10;
console.log(`paged ${rows.toLocaleString('en-US')} rows in ${pageMs.length} pages of 2000 over HTTP`);
console.log(
  `page times: first ${at(0)} ms (evaluates the query), second ${at(1)} ms, middle (#${middle + 1}) ${at(middle)} ms, last ${at(pageMs.length - 1)} ms`,
);
console.log(
  `mean of pages 2-11 ${firstTen.toFixed(1)} ms, mean of the last 10 ${lastTen.toFixed(1)} ms, median ${median.toFixed(1)} ms`,
);
console.log(
  `total paging time ${(totalMs / 1000).toFixed(2)} s; peak rss ${mb(Math.max(peakRss, process.resourceUsage().maxRSS * 1024))}`,
);
if (rows !== count) throw new Error(`expected ${count} rows, got ${rows}`);
