import { createClient, type SalesforceClient } from '@forcekit/core';
import { type Emulator, type EmulatorOptions, startEmulator } from '@forcekit/emulator';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { createStreaming, type Streaming, type StreamingOptions, type Subscription } from '../src/index.js';

/** Test-speed streaming settings: long polls held 200 ms instead of 110 s. */
export const FAST_STREAMING = { holdMs: 200 } as const;

/** Quick reconnection for tests (production defaults are 1 s doubling to 60 s). */
export const FAST_RECONNECT = { initialDelayMs: 20, maxDelayMs: 200 } as const;

export interface OrgFixture {
  readonly emulator: Emulator;
  /** A JWT-authenticated client: its session refreshes itself after an expiry. */
  readonly client: SalesforceClient;
  /** A new `Streaming` over `client` (closed after the test). */
  streaming(options?: StreamingOptions): Streaming;
  /** A client with only an access token: it cannot refresh. */
  tokenOnlyClient(): SalesforceClient;
}

/**
 * Starts one emulator for the test file (with the objects the tests use), resets it before each test,
 * and closes every client and `Streaming` a test made.
 */
export function useOrg(options: EmulatorOptions = {}): OrgFixture {
  const closers: (() => Promise<unknown>)[] = [];
  let emulator: Emulator | undefined;
  let client: SalesforceClient | undefined;

  beforeAll(async () => {
    emulator = await startEmulator({ ...options, streaming: { ...FAST_STREAMING, ...options.streaming } });
    defineTestObjects(emulator);
    client = await jwtClient(emulator);
  });
  beforeEach(() => {
    emulator?.org.reset();
    // reset() keeps streaming options: put back what a test may have changed.
    emulator?.org.streaming.configure({
      ...FAST_STREAMING,
      maxRetainedEvents: 10_000,
      requireCookie: true,
      ...options.streaming,
    });
  });
  afterEach(async () => {
    const pending = closers.splice(0).reverse();
    for (const close of pending) await close();
  });
  afterAll(async () => {
    await client?.close();
    await emulator?.stop();
  });

  return {
    get emulator() {
      if (emulator === undefined) throw new Error('the emulator starts in beforeAll');
      return emulator;
    },
    get client() {
      if (client === undefined) throw new Error('the client logs in in beforeAll');
      return client;
    },
    streaming(streamingOptions) {
      if (client === undefined) throw new Error('the client logs in in beforeAll');
      const streaming = createStreaming(client, { reconnect: FAST_RECONNECT, ...streamingOptions });
      closers.push(() => streaming.close());
      return streaming;
    },
    tokenOnlyClient() {
      if (emulator === undefined) throw new Error('the emulator starts in beforeAll');
      const tokenOnly = createClient({
        instanceUrl: emulator.url,
        accessToken: emulator.org.createSession(),
        maxRetries: 0,
      });
      closers.push(() => tokenOnly.close());
      return tokenOnly;
    },
  };
}

export async function jwtClient(emulator: Emulator): Promise<SalesforceClient> {
  const { loginUrl, clientId, jwtPrivateKey, username } = emulator.credentials;
  const client = createClient({ loginUrl, clientId, privateKey: jwtPrivateKey, maxRetries: 0 });
  await client.loginWithJwt({ username });
  return client;
}

/** The platform event and custom object the tests publish and change. */
export function defineTestObjects(emulator: Emulator): void {
  emulator.org.defineObject({
    name: 'Low_Ink__e',
    fields: [
      { name: 'Printer_Model__c', type: 'string', length: 20 },
      { name: 'Sequence__c', type: 'double', precision: 18, scale: 0 },
    ],
  });
  emulator.org.defineObject({
    name: 'Invoice_Statement__c',
    fields: [
      { name: 'Status__c', type: 'picklist', picklistValues: ['Open', 'Negotiating', 'Closed'] },
      { name: 'Description__c', type: 'string', length: 255 },
    ],
  });
}

/** Publishes `count` generic events `<prefix>0`, `<prefix>1`, ... in one go (the emulator's control API). */
export function publishGeneric(emulator: Emulator, channel: string, count: number, prefix = ''): void {
  for (let i = 0; i < count; i++) emulator.org.streaming.publishGeneric(channel, `${prefix}${i}`);
}

/** Takes `count` events from a subscription's iterator (without leaving the loop). */
export async function take<E>(
  subscription: Subscription<E>,
  count: number,
  timeoutMs = 10_000,
): Promise<E[]> {
  const out: E[] = [];
  if (count === 0) return out;
  const iterator = subscription[Symbol.asyncIterator]();
  const deadline = Date.now() + timeoutMs;
  while (out.length < count) {
    const remaining = deadline - Date.now();
    const next = await Promise.race([
      iterator.next(),
      new Promise<'timeout'>((resolve) =>
        setTimeout(() => resolve('timeout'), Math.max(0, remaining)).unref(),
      ),
    ]);
    if (next === 'timeout') throw new Error(`took ${out.length} of ${count} events before the timeout`);
    if (next.done) throw new Error(`the subscription ended after ${out.length} of ${count} events`);
    out.push(next.value);
  }
  return out;
}

/** Waits until `condition()` holds, checking every 10 ms. */
export async function waitUntil(
  condition: () => boolean,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
