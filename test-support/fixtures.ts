// The recorded Salesforce responses of the conformance tests: `../shared/fixtures` beside the repository
// (see its SOURCES.md). The folder is not part of the repository; where it is absent, the one test file
// that reads it is skipped and says why. Test-only: nothing here is part of a package.
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A folder of recorded responses, and whether it is there. */
export interface RecordedFixtures {
  /** False when the folder is absent: skip the tests that read it (`describe.skipIf(!fixtures.present)`). */
  readonly present: boolean;
  /** The folder's path, for messages. */
  readonly path: string;
  /** A file of the folder, as bytes. */
  bytes(name: string): Buffer;
  /** A file of the folder, as UTF-8 text. */
  text(name: string): string;
  /** A file of the folder, parsed as JSON. */
  json<T = unknown>(name: string): T;
}

const ROOT = new URL('../../shared/fixtures/', import.meta.url);

/**
 * The recorded responses under `../shared/fixtures/<folder>` for the test file `testFile` (its
 * `import.meta.url`). When the folder is absent this warns, once, that the test file is skipped and why.
 */
export function recordedFixtures(testFile: string, folder = ''): RecordedFixtures {
  const base = new URL(folder, ROOT);
  const path = fileURLToPath(base);
  const present = existsSync(base);
  if (!present) {
    console.warn(`Skipping ${basename(fileURLToPath(testFile))}: no recorded fixtures at ${path}`);
  }
  const bytes = (name: string) => readFileSync(new URL(name, base));
  const text = (name: string) => readFileSync(new URL(name, base), 'utf8');
  return {
    present,
    path,
    bytes,
    text,
    json: <T>(name: string) => JSON.parse(text(name)) as T,
  };
}
