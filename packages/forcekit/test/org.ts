import { type Emulator, type EmulatorOptions, startEmulator } from '@forcekit/emulator';
import { type BulkOptions, type Connection, type ConnectionOptions, createConnection } from 'forcekit';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';

/** Bulk polling for tests: the emulator finishes small jobs in milliseconds. */
export const FAST_BULK: BulkOptions = { pollInterval: 5, maxPollInterval: 20, pollTimeout: 30_000 };

export interface OrgFixture {
  readonly emulator: Emulator;
  /** A connection signed in as the emulator's admin (closed after the test). */
  connect(options?: ConnectionOptions): Connection;
  /** A multi-user connection (no session of its own) with the connected app (closed after the test). */
  multiUser(): Connection;
}

/**
 * One emulator for the test file, reset before each test (bulk jobs fast, streaming long polls short
 * unless `options.streaming` says otherwise); every connection a test opened is closed after it.
 */
export function useOrg(options: EmulatorOptions = {}, setup?: (emulator: Emulator) => void): OrgFixture {
  let emulator: Emulator | undefined;
  const open: Connection[] = [];
  const streaming = { holdMs: 200, ...options.streaming };
  const bulk = { queueDelayMs: 1, rowsPerChunk: 5_000, ...options.bulk };

  beforeAll(async () => {
    // Every org.reset() puts the bulk and streaming settings given here back.
    emulator = await startEmulator({ ...options, streaming, bulk });
    setup?.(emulator);
  });
  beforeEach(() => (emulator as Emulator).org.reset());
  afterEach(async () => {
    await Promise.all(open.splice(0).map((conn) => conn.close()));
  });
  afterAll(async () => {
    await emulator?.stop();
  });

  const started = (): Emulator => {
    if (emulator === undefined) throw new Error('the emulator starts in beforeAll');
    return emulator;
  };
  return {
    get emulator() {
      return started();
    },
    connect(connectionOptions = {}) {
      const { url, credentials } = started();
      const conn = createConnection({
        instanceUrl: url,
        accessToken: credentials.accessToken,
        bulk: FAST_BULK,
        ...connectionOptions,
      });
      open.push(conn);
      return conn;
    },
    multiUser() {
      const c = started().credentials;
      const conn = createConnection({
        mode: 'multi',
        loginUrl: c.loginUrl,
        clientId: c.clientId,
        clientSecret: c.clientSecret,
        bulk: FAST_BULK,
      });
      open.push(conn);
      return conn;
    },
  };
}

/** The logged requests to the Bulk API 2.0 ingest endpoint and to sObject Collections. */
export function pathsUsed(emulator: Emulator): { bulkJobs: number; collections: number } {
  const requests = emulator.org.requests;
  return {
    bulkJobs: requests.entries({ method: 'POST', path: /\/jobs\/ingest$/ }).length,
    collections: requests.entries({ path: /\/composite\/sobjects$/ }).length,
  };
}
