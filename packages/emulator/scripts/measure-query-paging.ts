/**
 * Measures generating 1,000,000 Accounts and paging through all of them with queryMore over HTTP.
 * Not part of the test suite. Run from the repository root:
 *
 *   npx tsx --conditions=@forcekit/source packages/emulator/scripts/measure-query-paging.ts [count]
 *
 * Prints the generate time, the time of the first, middle and last pages (they should be flat: a page
 * is a slice of the result evaluated once), the total paging time and the peak RSS. CPU time is printed
 * beside wall time because on a shared machine the wall clock also counts other processes.
 */
import { startEmulator } from '../src/index.js';

const count = Number(process.argv[2] ?? 1_000_000);
const mb = (bytes: number) => `${Math.round(bytes / 1_048_576)} MB`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};
let peakRss = process.memoryUsage().rss;
const sample = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};

const emulator = await startEmulator();
const { accessToken, apiVersion } = emulator.credentials;
const headers = { Authorization: `Bearer ${accessToken}` };

let cpu = process.cpuUsage();
let started = performance.now();
emulator.org.generate('Account', count);
const generateMs = performance.now() - started;
const generateCpuMs = cpuMs(cpu);
sample();
console.log(
  `generated ${count.toLocaleString('en-US')} Accounts: ${seconds(generateMs)} wall, ${seconds(generateCpuMs)} cpu (rss ${mb(process.memoryUsage().rss)})`,
);

interface Page {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: unknown[];
}

const soql = 'SELECT Id, Name, Industry, CreatedDate FROM Account';
const pageMs: number[] = [];
const pageCpuMs: number[] = [];
let rows = 0;
let url: string | undefined = `/services/data/v${apiVersion}/query?q=${encodeURIComponent(soql)}`;
cpu = process.cpuUsage();
started = performance.now();
while (url !== undefined) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const res = await fetch(`${emulator.url}${url}`, { headers });
  const page = (await res.json()) as Page;
  pageMs.push(performance.now() - t0);
  pageCpuMs.push(cpuMs(c0));
  if (res.status !== 200)
    throw new Error(`page ${pageMs.length}: HTTP ${res.status} ${JSON.stringify(page)}`);
  rows += page.records.length;
  url = page.done ? undefined : page.nextRecordsUrl;
  if (pageMs.length % 50 === 0) sample();
}
const totalMs = performance.now() - started;
const pagingCpuMs = cpuMs(cpu);
sample();
await emulator.stop();

const ms = (i: number) => `${(pageMs[i] as number).toFixed(1)} ms`;
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(values.length, 1);
const middle = Math.floor(pageMs.length / 2);
const sorted = [...pageMs].sort((a, b) => a - b);
console.log(`paged ${rows.toLocaleString('en-US')} rows in ${pageMs.length} pages over HTTP (${soql})`);
console.log(
  `page times: first ${ms(0)} (evaluates the query), second ${ms(1)}, middle #${middle + 1} ${ms(middle)}, last ${ms(pageMs.length - 1)}`,
);
console.log(
  `means: pages 2-11 ${mean(pageMs.slice(1, 11)).toFixed(1)} ms, middle 10 ${mean(pageMs.slice(middle - 5, middle + 5)).toFixed(1)} ms, last 10 ${mean(pageMs.slice(-10)).toFixed(1)} ms; median ${(sorted[Math.floor(sorted.length / 2)] as number).toFixed(1)} ms`,
);
const cpuOf = (values: number[]) => mean(values).toFixed(1);
console.log(
  `cpu per page (steadier than wall time on a busy machine): pages 2-11 ${cpuOf(pageCpuMs.slice(1, 11))} ms, middle 10 ${cpuOf(pageCpuMs.slice(middle - 5, middle + 5))} ms, last 10 ${cpuOf(pageCpuMs.slice(-10))} ms`,
);
console.log(
  `total paging: ${seconds(totalMs)} wall, ${seconds(pagingCpuMs)} cpu (client and server share the process); peak rss ${mb(Math.max(peakRss, process.resourceUsage().maxRSS * 1024))}`,
);
if (rows !== count) throw new Error(`expected ${count} rows, got ${rows}`);
