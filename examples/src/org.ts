/**
 * What every example shares: an org to run against. Without configuration that is a local emulator
 * (started here, seeded with the example's data, logged into like a real org); with `SF_*` variables it
 * is your org (see `connectFromEnv` in forcekit: `SF_INSTANCE_URL` + `SF_ACCESS_TOKEN`, or
 * `SF_LOGIN_URL` + `SF_USERNAME` + `SF_PASSWORD`).
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Emulator, type Org, startEmulator } from '@forcekit/emulator';
import { type Connection, connectFromEnv, createConnection, planFromEnv, type SalesforceEnv } from 'forcekit';
import type { Schema } from './schema.js';

export interface ExampleOrg {
  readonly conn: Connection<Schema>;
  /** The local emulator, when the example runs against one; undefined against a real org. */
  readonly emulator: Emulator | undefined;
  /** Where the example runs, for its first line of output. */
  readonly where: string;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Where `SF_*` variables are read. Default: `process.env`. */
  readonly env?: SalesforceEnv | undefined;
  /** Puts the data the example needs into the emulator (a real org is used as it is). */
  readonly seed?: ((org: Org) => void | Promise<void>) | undefined;
}

/** Opens the org an example runs against: yours when `SF_*` variables are set, else a fresh emulator. */
export async function openOrg(options: OpenOptions = {}): Promise<ExampleOrg> {
  const env = options.env ?? process.env;
  if (planFromEnv(env) !== undefined) {
    const conn = await connectFromEnv<Schema>(env);
    return {
      conn,
      emulator: undefined,
      where: `your org at ${conn.session?.instanceUrl}`,
      close: () => conn.close(),
    };
  }
  const emulator = await startEmulator();
  await options.seed?.(emulator.org);
  const c = emulator.credentials;
  // Log in as a real application would: OAuth 2.0 username-password flow with a connected app.
  const conn = createConnection<Schema>({
    loginUrl: c.loginUrl,
    clientId: c.clientId,
    clientSecret: c.clientSecret,
  });
  await conn.login(c.username, c.password + c.securityToken);
  return {
    conn,
    emulator,
    where: `the local emulator at ${emulator.url}`,
    async close() {
      await conn.close();
      await emulator.stop();
    },
  };
}

export type Log = (line: string) => void;

/** True when `moduleUrl` is the script node was asked to run (not a module a test imported). */
export function isMain(moduleUrl: string): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}

/** Runs an example as a program: opens the org, runs, closes, and exits non-zero on failure. */
export async function runAsProgram<T>(
  run: (org: ExampleOrg, log: Log) => Promise<T>,
  seed?: OpenOptions['seed'],
): Promise<void> {
  const org = await openOrg({ seed });
  const log: Log = (line) => console.log(line);
  log(`Running against ${org.where}`);
  try {
    await run(org, log);
  } catch (error) {
    console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
    process.exitCode = 1;
  } finally {
    await org.close();
  }
}
