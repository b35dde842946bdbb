import { type ClientOptions, createClient, type SalesforceClient } from '@forcekit/core';
import { type Emulator, startEmulator } from '@forcekit/emulator';
import { Agent, type Dispatcher } from 'undici';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { rejectionOf, type SentRequest, sentRequestOf, sentTo } from '../../../test-support/requests.js';
import { Bulk, type BulkOptions } from '../src/index.js';

export { rejectionOf, type SentRequest, sentTo };

/** An undici Agent that notes every request it sends (the request still goes to the emulator unchanged). */
function recordingAgent(sent: SentRequest[]): { dispatcher: Dispatcher; close(): Promise<void> } {
  const agent = new Agent();
  const dispatcher = agent.compose((dispatch) => (options, handler) => {
    sent.push(sentRequestOf(options));
    return dispatch(options, handler);
  });
  return { dispatcher, close: () => agent.close() };
}

/** Fast polling for tests: the emulator processes jobs in milliseconds. */
export const FAST: BulkOptions = { pollInterval: 5, maxPollInterval: 20, pollTimeout: 30_000 };

/** One emulator per test file (reset before each test), a client signed in as its admin, and a `Bulk`. */
export interface OrgFixture {
  emulator: Emulator;
  client: SalesforceClient;
  bulk: Bulk;
  /** Every request the client sent since the last reset. */
  sent: SentRequest[];
  /** A new client for the same org (closed after the file). */
  newClient(options?: ClientOptions): SalesforceClient;
}

export function useOrg(setup?: (emulator: Emulator) => void): OrgFixture {
  const fixture = { sent: [] as SentRequest[] } as OrgFixture;
  const closers: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    // Fast jobs; every org.reset() puts these settings back.
    fixture.emulator = await startEmulator({ bulk: { queueDelayMs: 1, rowsPerChunk: 5000 } });
    setup?.(fixture.emulator);
    const recorder = recordingAgent(fixture.sent);
    closers.push(recorder.close);
    fixture.newClient = (options: ClientOptions = {}) => {
      const { instanceUrl, accessToken } = fixture.emulator.credentials;
      const client = createClient({
        instanceUrl,
        accessToken,
        loginUrl: fixture.emulator.loginUrl,
        ...options,
      });
      closers.push(() => client.close());
      return client;
    };
    fixture.client = fixture.newClient({ dispatcher: recorder.dispatcher });
    fixture.bulk = new Bulk(fixture.client, FAST);
  });
  beforeEach(() => {
    fixture.emulator.org.reset();
    fixture.sent.length = 0;
  });
  afterAll(async () => {
    for (const close of closers) await close();
    await fixture.emulator?.stop();
  });
  return fixture;
}

/** Collects an async iterable. */
export async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
}
