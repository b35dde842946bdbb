// Where a worker's CPU time went: `tsx src/profile-summary.ts <file.cpuprofile>... [--top N]` prints
// the functions with the most self time, summed over the profiles given, (mapped back to the TypeScript sources through the build's source
// maps) and the self time of each area (forcekit, undici, Node internals, GC...). Profiles come from
// `pnpm bench --cpu-prof`.
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const maps = new Map<string, SourceMap | undefined>();

function sourceMapOf(url: string): SourceMap | undefined {
  if (!maps.has(url)) {
    const file = url.startsWith('file://') ? fileURLToPath(url) : url;
    const mapFile = `${file}.map`;
    maps.set(url, existsSync(mapFile) ? new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8'))) : undefined);
  }
  return maps.get(url);
}

/** `packages/sobject/src/internal/cursor.ts:112`, or the frame's own URL when no map covers it. */
function whereOf(frame: CallFrame): string {
  if (frame.url === '') return '';
  const map = sourceMapOf(frame.url);
  const entry = map?.findEntry(frame.lineNumber, frame.columnNumber) as
    | { originalSource?: string; originalLine?: number }
    | undefined;
  if (entry?.originalSource !== undefined && entry.originalLine !== undefined) {
    const source = entry.originalSource.startsWith('file://')
      ? fileURLToPath(entry.originalSource)
      : entry.originalSource;
    return `${relative(REPO, source).replace(/^(\.\.\/)+/, '')}:${entry.originalLine + 1}`;
  }
  const path = frame.url.startsWith('file://') ? fileURLToPath(frame.url) : frame.url;
  return `${path.includes('node_modules') ? path.slice(path.lastIndexOf('node_modules/') + 13) : path}:${frame.lineNumber + 1}`;
}

/** The part of the program a frame belongs to. */
function areaOf(frame: CallFrame, where: string): string {
  if (frame.url === '') {
    if (frame.functionName === '(garbage collector)') return 'GC';
    if (frame.functionName === '(idle)' || frame.functionName === '(program)') return frame.functionName;
    return 'V8 builtins and natives';
  }
  if (where.startsWith('packages/')) return `forcekit ${where.split('/')[1]}`;
  if (where.startsWith('bench/')) return 'bench worker';
  const pkg = /^((?:@[^/]+\/)?[^/]+)\//.exec(where)?.[1];
  if (pkg !== undefined && !where.startsWith('node:')) return pkg;
  return 'node internals';
}

function main(argv: string[]): number {
  const topIndex = argv.indexOf('--top');
  const top = topIndex === -1 ? 25 : Number(argv[topIndex + 1]);
  const files = argv.filter((arg, index) => !arg.startsWith('--') && index !== topIndex + 1);
  if (files.length === 0) {
    console.error('usage: tsx src/profile-summary.ts <file.cpuprofile>... [--top N]');
    return 2;
  }
  const functions = new Map<string, { name: string; where: string; area: string; us: number }>();
  const areas = new Map<string, number>();
  let total = 0;
  for (const file of files) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    const byId = new Map(profile.nodes.map((node) => [node.id, node]));
    const selfUs = new Map<number, number>();
    profile.samples.forEach((id, index) => {
      selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
    });
    total += profile.endTime - profile.startTime;
    for (const [id, us] of selfUs) {
      const frame = (byId.get(id) as ProfileNode).callFrame;
      const where = whereOf(frame);
      const area = areaOf(frame, where);
      const key = `${frame.functionName}@${where}`;
      const entry = functions.get(key) ?? { name: frame.functionName || '(anonymous)', where, area, us: 0 };
      entry.us += us;
      functions.set(key, entry);
      areas.set(area, (areas.get(area) ?? 0) + us);
    }
  }
  const pct = (us: number) => `${((us / total) * 100).toFixed(1).padStart(5)}%`;
  const ms = (us: number) => `${(us / 1000).toFixed(0).padStart(6)} ms`;
  console.log(
    `${files.length} profile(s): ${(total / 1000).toFixed(0)} ms profiled (wall clock; a busy machine stretches it)\n\nself time by area:`,
  );
  for (const [area, us] of [...areas].sort((a, b) => b[1] - a[1])) {
    console.log(`  ${ms(us)} ${pct(us)}  ${area}`);
  }
  console.log(`\ntop ${top} functions by self time:`);
  for (const entry of [...functions.values()].sort((a, b) => b.us - a.us).slice(0, top)) {
    console.log(`  ${ms(entry.us)} ${pct(entry.us)}  ${entry.name}  ${entry.where}`);
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));
