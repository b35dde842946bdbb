// The harness of the memory tests, both sides of it. The test (parent) runs a small TypeScript program in
// its own process under `node --expose-gc`, so the heap it measures is the SDK's alone and not vitest's;
// that program (child) streams records to the end, forcing a GC and sampling the heap in use every so
// many records, and prints one JSON report, which the test checks for a flat heap.
// Test-only: nothing here is part of a package.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** What a memory child prints. Sizes are bytes, except `maxRssKb`. */
export interface MemoryReport {
  /** Records streamed. */
  readonly count: number;
  /** A sum read off every record, so no record goes unread. */
  readonly checksum: number;
  /** Heap in use after a GC, before the first record. */
  readonly before: number;
  /** Heap in use after a GC, every `sampleEvery` records. */
  readonly samples: readonly number[];
  readonly seconds: number;
  /** Peak resident set of the child process (loader included). */
  readonly maxRssKb: number;
}

const repoRoot = fileURLToPath(new URL('../', import.meta.url));

// ---- the test's side ----------------------------------------------------------------------------------

/**
 * Runs the program `child` (a file URL or path) in its own process, with the TypeScript loader and the
 * workspace packages' sources, passing `input` as JSON in `argv[2]`; resolves with the report it prints.
 * `what` names the program in the error when it fails.
 */
export function runMemoryChild(child: string | URL, input: unknown, what: string): Promise<MemoryReport> {
  const file = typeof child === 'string' ? child : fileURLToPath(child);
  return new Promise((resolve, reject) => {
    const proc = spawn(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', '--conditions=@forcekit/source', file, JSON.stringify(input)],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    proc.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    proc.on('error', reject);
    proc.on('exit', (code) => {
      if (code === 0) resolve(JSON.parse(out) as MemoryReport);
      else reject(new Error(`the ${what} process exited with ${code}: ${err}`));
    });
  });
}

/** How much the heap grew while streaming: the highest sample above the first. */
export function heapGrowth(report: MemoryReport): number {
  return Math.max(...report.samples) - (report.samples[0] as number);
}

/** One line for the test's output: `<label>: <count> <unit> in 1.2 s; heap after GC ...; peak RSS ...`. */
export function describeMemory(label: string, unit: string, report: MemoryReport): string {
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return (
    `${label}: ${report.count} ${unit} in ${report.seconds.toFixed(1)} s; heap after GC ${mb(report.before)} ` +
    `before, ${mb(Math.min(...report.samples))}-${mb(Math.max(...report.samples))} while streaming; ` +
    `peak RSS ${mb(report.maxRssKb * 1024)}`
  );
}

// ---- the child's side ---------------------------------------------------------------------------------

/** The input the test passed to this child process. */
export function memoryChildInput<T>(): T {
  return JSON.parse(process.argv[2] as string) as T;
}

/**
 * Streams what `open()` returns to the end, forcing a GC and sampling the heap every `sampleEvery`
 * records; `weigh` reads each record into the checksum. `open` is called after the first measurement,
 * so the heap before includes nothing of the stream. Prints the report as this process's one line of
 * output.
 */
export async function sampleHeap<R>(
  open: () => AsyncIterable<R>,
  sampleEvery: number,
  weigh: (record: R) => number,
): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with --expose-gc');
  gc();
  const before = process.memoryUsage().heapUsed;
  const samples: number[] = [];
  let count = 0;
  let checksum = 0;
  const started = performance.now();
  for await (const record of open()) {
    count++;
    checksum += weigh(record);
    if (count % sampleEvery === 0) {
      gc();
      samples.push(process.memoryUsage().heapUsed);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const report: MemoryReport = {
    count,
    checksum,
    before,
    samples,
    seconds,
    maxRssKb: process.resourceUsage().maxRSS,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}
