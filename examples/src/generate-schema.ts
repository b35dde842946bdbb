/**
 * Regenerates `schema.ts`, the typed schema the examples use, from the emulator's describe: the same
 * `forcekit generate-types` a project runs against its own org (`SF_*` variables set).
 *
 *   pnpm --filter forcekit-examples generate-schema
 */
import { fileURLToPath } from 'node:url';
import { startEmulator } from '@forcekit/emulator';
import { runCli } from 'forcekit/cli';

/** The objects the examples use. */
export const SCHEMA_OBJECTS = ['Account', 'Contact', 'Opportunity'];

export const SCHEMA_FILE = fileURLToPath(new URL('./schema.ts', import.meta.url));

/** Runs `forcekit generate-types` against a fresh emulator, writing `out`. */
export async function generateSchema(out: string): Promise<number> {
  const emulator = await startEmulator();
  try {
    const env = { SF_INSTANCE_URL: emulator.url, SF_ACCESS_TOKEN: emulator.credentials.accessToken };
    return await runCli(['generate-types', ...SCHEMA_OBJECTS, '--out', out], {
      stdout: process.stdout,
      stderr: process.stderr,
      env,
    });
  } finally {
    await emulator.stop();
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await generateSchema(SCHEMA_FILE);
}
