// Packaging checks for every published package: publint (package.json and files) and
// @arethetypeswrong/cli (types resolve for ESM consumers; we ship ESM only, so the esm-only profile).
// Run after `pnpm build`. Exits non-zero when any package fails.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../packages/', import.meta.url).pathname;
let failed = 0;
for (const entry of readdirSync(root, { withFileTypes: true })) {
  if (!entry.isDirectory()) continue;
  const dir = join(root, entry.name);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  if (pkg.private) continue;
  for (const [bin, args] of [
    ['publint', ['--strict']],
    ['attw', ['--pack', '.', '--profile', 'esm-only', '--format', 'table-flipped']],
  ]) {
    try {
      execFileSync(join(root, '..', 'node_modules', '.bin', bin), args, { cwd: dir, stdio: 'pipe' });
      console.log(`ok   ${pkg.name}: ${bin}`);
    } catch (error) {
      failed++;
      console.log(`FAIL ${pkg.name}: ${bin}\n${error.stdout ?? ''}${error.stderr ?? ''}`);
    }
  }
}
if (failed > 0) {
  console.error(`${failed} packaging check(s) failed`);
  process.exit(1);
}
