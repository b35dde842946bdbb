import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';

/** `../shared/fixtures` beside the repository: recorded Salesforce responses (absent outside this workspace). */
export const FIXTURES_DIR = fileURLToPath(new URL('../../../../../shared/fixtures/', import.meta.url));
export const HAVE_FIXTURES = existsSync(FIXTURES_DIR);

if (!HAVE_FIXTURES) {
  process.stderr.write(
    `[conformance] ${FIXTURES_DIR} is absent: the conformance tests against recorded Salesforce responses are skipped.\n`,
  );
}

export function fixtureText(path: string): string {
  return readFileSync(`${FIXTURES_DIR}${path}`, 'utf8');
}

export function fixtureJson<T = unknown>(path: string): T {
  return JSON.parse(fixtureText(path)) as T;
}

/**
 * A suite of conformance tests against the recorded responses: it runs when `../shared/fixtures` is
 * there and is skipped when it is not, its name then saying why (the folder is outside the repository).
 */
export function describeConformance(name: string, suite: () => void): void {
  if (HAVE_FIXTURES) describe(name, suite);
  else describe.skip(`${name} (skipped: no recorded responses at ${FIXTURES_DIR})`, suite);
}
