import { afterAll, afterEach, beforeAll } from 'vitest';
import { type ClientOptions, createClient, type SalesforceClient } from '../../src/index.js';
import { CLIENT_ID, CLIENT_SECRET, FakeSalesforce } from './fake-salesforce.js';

/**
 * Starts the scripted stand-in server for a test file (only for what the emulator cannot or should not
 * serve: see fake-salesforce.ts), and closes every client a test created.
 */
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
      if (fake === undefined) throw new Error('the stand-in starts in beforeAll');
      return fake;
    },
    client(options = {}) {
      const url = (fake as FakeSalesforce).url;
      const client = createClient({
        loginUrl: url,
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        ...options,
      });
      clients.push(client);
      return client;
    },
  };
}
