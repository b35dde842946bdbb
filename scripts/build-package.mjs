// Builds one SDK package (run from its folder by its `build` script): declarations with tsc, JavaScript
// with esbuild, one bundled file per entry point (`exports` and `bin` of package.json) instead of one file
// per source module. Loading forcekit as ~130 separate ES modules cost about 180 ms of CPU at import on
// this project's machine against about 80 ms bundled (docs/benchmarks.md, start-up); that matters to
// CLI commands and serverless cold starts. Dependencies, sibling @forcekit packages and node: built-ins
// stay imports, so each package is still a separate, deduplicated module in a user's graph.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build } from 'esbuild';

const dir = process.cwd();
const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));

/** `./dist/x/y.js` -> `src/x/y.ts`, checked to exist. */
function sourceOf(distPath) {
  const source = distPath.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts');
  if (!existsSync(join(dir, source))) {
    throw new Error(`${pkg.name}: ${distPath} has no source file ${source}`);
  }
  return source;
}

const entries = new Set();
for (const target of Object.values(pkg.exports ?? {})) {
  if (typeof target === 'object' && typeof target.default === 'string' && target.default.endsWith('.js')) {
    entries.add(sourceOf(target.default));
  }
}
const bins = typeof pkg.bin === 'string' ? [pkg.bin] : Object.values(pkg.bin ?? {});
for (const bin of bins) entries.add(sourceOf(bin));
if (entries.size === 0) throw new Error(`${pkg.name}: no entry points in exports or bin`);

rmSync(join(dir, 'dist'), { recursive: true, force: true });
const tsc = join(dir, '..', '..', 'node_modules', '.bin', 'tsc');
execFileSync(tsc, ['-p', 'tsconfig.build.json', '--emitDeclarationOnly'], { cwd: dir, stdio: 'inherit' });

const result = await build({
  absWorkingDir: dir,
  entryPoints: [...entries],
  outdir: 'dist',
  outbase: 'src',
  bundle: true,
  // Entries of one package share their modules through chunks instead of each carrying a copy.
  splitting: entries.size > 1,
  chunkNames: 'chunks/[name]-[hash]',
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  sourcesContent: false,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
});
const outputs = Object.keys(result.metafile.outputs).filter((file) => file.endsWith('.js'));
console.log(
  `${pkg.name}: ${[...entries].join(', ')} -> ${outputs.map((file) => relative('dist', relative(dir, join(dir, file)))).join(', ')}`,
);
