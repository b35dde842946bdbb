import { randomBytes } from 'node:crypto';
import type { OutgoingMessage } from './bayeux.js';
import type { RetainedEvent } from './event-stream.js';

/** Where a subscription's events come from, and which of that stream's events it takes. */
export interface ChannelRoute {
  /** The stream's key in the service (`topic:<PushTopic id>`, `event:Foo__e`, `cdc`, `generic:/u/X`). */
  readonly streamKey: string;
  /** For entity change-event channels: only events of this object. */
  readonly entity: string | undefined;
}

export interface Subscription {
  readonly channel: string;
  readonly route: ChannelRoute;
}

/** How a held `/meta/connect` ends. */
export type PollOutcome =
  /** Answer with the waiting messages (events arrived, the hold time passed, or a release). */
  | { readonly kind: 'deliver' }
  /** Answer empty: the client started a newer long poll, which gets the waiting messages. */
  | { readonly kind: 'superseded' }
  /** The server forgot the client: answer `403::Unknown client`. */
  | { readonly kind: 'forgotten' }
  /** The connection is gone: answer nothing. */
  | { readonly kind: 'gone' };

/** A `/meta/connect` being held open, waiting for events or its hold time. */
export interface HeldPoll {
  /** Ends the hold; the endpoint then answers (or, for `gone`, writes nothing). */
  end(outcome: PollOutcome): void;
  /** Cuts the connection mid-hold (the drop-the-long-poll fault). */
  drop(): void;
}

/**
 * One CometD client (one `clientId`): who it is, the browser cookie it must send back, its
 * subscriptions, the messages waiting for its next `/meta/connect`, and its held long poll.
 */
export class ClientSession {
  readonly clientId: string;
  readonly userId: string;
  /** The `BAYEUX_BROWSER` cookie value its handshake was made with. */
  readonly browserId: string;
  /** The API version of the endpoint it handshook on (`62.0`). */
  readonly apiVersion: string;
  readonly subscriptions = new Map<string, Subscription>();
  /** Data messages waiting for the next connect, in publish order. */
  queue: OutgoingMessage[] = [];
  /** Connect requests answered so far (the first one is answered at once, with advice). */
  connects = 0;
  /** Org time of the last answer sent to this client; the reconnect window counts from it. */
  lastSeenAt: number;
  poll: HeldPoll | undefined = undefined;
  /** Set once a flush is scheduled, so a burst of events goes out in one response. */
  flushScheduled = false;

  constructor(userId: string, browserId: string, apiVersion: string, now: number) {
    this.clientId = newClientId();
    this.userId = userId;
    this.browserId = browserId;
    this.apiVersion = apiVersion;
    this.lastSeenAt = now;
  }

  /** Queues a retained event for delivery on `channel` unless the subscription filters it out. */
  offer(channel: string, route: ChannelRoute, event: RetainedEvent): boolean {
    if (route.entity !== undefined && event.entity !== route.entity) return false;
    if (event.audience !== undefined && !event.audience.has(this.userId)) return false;
    this.queue.push({ data: event.data, channel });
    return true;
  }

  /** Takes every waiting message. */
  drain(): OutgoingMessage[] {
    const out = this.queue;
    this.queue = [];
    return out;
  }
}

const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';

function randomBase36(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += BASE36[byte % 36];
  return out;
}

/** A client id shaped like Salesforce's: 26 lower-case base-36 characters (`41kdiuvgig2tfxdh9weakuiwyh`). */
export function newClientId(): string {
  return randomBase36(26);
}

/** A `BAYEUX_BROWSER` cookie value, shaped like CometD's browser ids (`4xtq-1bxh4o6qt1r6e4rhx2fqmpa`). */
export function newBrowserId(): string {
  return `${randomBase36(4)}-${randomBase36(22)}`;
}
