import { type ClientOptions, createClient, type SalesforceClient } from '@forcekit/core';
import { type Emulator, startEmulator } from '@forcekit/emulator';
import { Agent, type Dispatcher } from 'undici';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { rejectionOf, type SentRequest, sentRequestOf, sentTo } from '../../../test-support/requests.js';

export { rejectionOf, type SentRequest, sentTo };

/**
 * An undici Agent that remembers every request it sends (it only observes: the request goes out over a
 * real socket to the emulator unchanged).
 */
export interface Recorder {
  readonly dispatcher: Dispatcher;
  readonly sent: SentRequest[];
  /** Requests sent and not yet answered in full. */
  readonly inFlight: number;
  /** The most requests that were in flight at once since the last `resetPeak()`. */
  readonly peak: number;
  resetPeak(): void;
  /** Called as each request is about to go out (tests install emulator faults from here). */
  onRequest: ((request: SentRequest) => void) | undefined;
  close(): Promise<void>;
}

const ENDINGS = new Set(['onResponseEnd', 'onResponseError', 'onComplete', 'onError']);

export function recordingAgent(): Recorder {
  const sent: SentRequest[] = [];
  const agent = new Agent();
  let inFlight = 0;
  let peak = 0;
  const dispatcher = agent.compose((dispatch) => (options, handler) => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    let ended = false;
    const observed = new Proxy(handler, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver);
        if (typeof key !== 'string' || typeof value !== 'function') return value;
        if (!ENDINGS.has(key)) return value.bind(target);
        return (...args: unknown[]) => {
          if (!ended) {
            ended = true;
            inFlight--;
          }
          return value.apply(target, args);
        };
      },
    });
    const request = sentRequestOf(options);
    sent.push(request);
    recorder.onRequest?.(request);
    return dispatch(options, observed);
  });
  const recorder: Recorder = {
    dispatcher,
    sent,
    get inFlight() {
      return inFlight;
    },
    get peak() {
      return peak;
    },
    resetPeak: () => {
      peak = inFlight;
    },
    onRequest: undefined,
    close: () => agent.close(),
  };
  return recorder;
}

/** One emulator per test file (reset before each test), and a client signed in as its admin. */
export interface OrgFixture {
  emulator: Emulator;
  client: SalesforceClient;
  /** Every request the client sent since the last reset. */
  sent: SentRequest[];
  /** The client's recording dispatcher (in-flight counts). */
  recorder: Recorder;
  /** A new client for the same org (closed after the file). */
  newClient(options?: ClientOptions): SalesforceClient;
}

export function useOrg(clientOptions: ClientOptions = {}): OrgFixture {
  const fixture = { sent: [] as SentRequest[] } as OrgFixture;
  const closers: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    fixture.emulator = await startEmulator();
    const recorder = recordingAgent();
    fixture.sent = recorder.sent;
    fixture.recorder = recorder;
    closers.push(recorder.close);
    fixture.newClient = (options: ClientOptions = {}) => {
      const { instanceUrl, accessToken } = fixture.emulator.credentials;
      const client = createClient({
        instanceUrl,
        accessToken,
        loginUrl: fixture.emulator.loginUrl,
        maxRetries: 0,
        ...options,
      });
      closers.push(() => client.close());
      return client;
    };
    fixture.client = fixture.newClient({ dispatcher: recorder.dispatcher, ...clientOptions });
  });
  beforeEach(() => {
    fixture.emulator.org.reset();
    fixture.sent.length = 0;
    fixture.recorder.resetPeak();
    fixture.recorder.onRequest = undefined;
  });
  afterAll(async () => {
    for (const close of closers) await close();
    await fixture.emulator?.stop();
  });
  return fixture;
}
