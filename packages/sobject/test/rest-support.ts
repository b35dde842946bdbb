import { createClient, type SalesforceClient } from '@forcekit/core';
import { type Emulator, startEmulator } from '@forcekit/emulator';
import { afterAll, beforeAll, beforeEach } from 'vitest';

/** One emulator per test file, reset between tests, and a client signed in as its admin. */
export interface RestFixture {
  emulator: Emulator;
  client: SalesforceClient;
}

export function useEmulator(): RestFixture {
  const fixture = {} as RestFixture;
  beforeAll(async () => {
    fixture.emulator = await startEmulator();
    const { instanceUrl, accessToken } = fixture.emulator.credentials;
    fixture.client = createClient({
      instanceUrl,
      accessToken,
      loginUrl: fixture.emulator.loginUrl,
      maxRetries: 0,
    });
  });
  beforeEach(() => fixture.emulator.org.reset());
  afterAll(async () => {
    await fixture.client?.close();
    await fixture.emulator?.stop();
  });
  return fixture;
}
