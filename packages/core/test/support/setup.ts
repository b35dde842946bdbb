import { afterAll, afterEach, beforeAll } from 'vitest';
import { type ClientOptions, createClient, type Logger, type SalesforceClient } from '../../src/index.js';
import { CLIENT_ID, CLIENT_SECRET, FakeSalesforce, REDIRECT_URI } from './fake-salesforce.js';

/** Starts one fake org for the test file, and closes every client a test created. */
export function useFakeSalesforce(): {
  readonly fake: FakeSalesforce;
  client(options?: ClientOptions): SalesforceClient;
} {
  let fake: FakeSalesforce | undefined;
  const clients: SalesforceClient[] = [];
  beforeAll(async () => {
    fake = await FakeSalesforce.start();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });
  afterAll(async () => {
    await fake?.close();
  });
  return {
    get fake() {
      if (fake === undefined) throw new Error('the fake org starts in beforeAll');
      return fake;
    },
    client(options = {}) {
      const url = (fake as FakeSalesforce).url;
      const client = createClient({
        loginUrl: url,
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        redirectUri: REDIRECT_URI,
        ...options,
      });
      clients.push(client);
      return client;
    },
  };
}

export interface LogEntry {
  readonly level: string;
  readonly obj: object;
  readonly msg: string | undefined;
}

/** A logger that keeps every entry, for assertions. */
export function captureLogger(): Logger & { readonly entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const at = (level: string) => (obj: object, msg?: string) => {
    entries.push({ level, obj, msg });
  };
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** Runs a promise expected to reject and returns the rejection. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}
