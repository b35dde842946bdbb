import { z } from 'zod';

/**
 * The Bayeux messages Salesforce's CometD endpoint reads and writes, and the error strings it answers
 * with (`<code>::<text>`, as the Streaming API error-code table words them).
 */

/** An incoming message: only what the endpoint reads is typed; anything else is kept and ignored. */
export const incomingMessage = z.looseObject({
  channel: z.string().optional(),
  id: z.union([z.string(), z.number()]).optional(),
  clientId: z.string().optional(),
  subscription: z.unknown().optional(),
  connectionType: z.unknown().optional(),
  advice: z.looseObject({ timeout: z.number().optional() }).optional().catch(undefined),
  ext: z.record(z.string(), z.unknown()).optional().catch(undefined),
});
export type IncomingMessage = z.infer<typeof incomingMessage>;

/** A message the endpoint sends: a reply on a `/meta` channel or an event on a data channel. */
export type OutgoingMessage = Record<string, unknown>;

export const META = {
  handshake: '/meta/handshake',
  connect: '/meta/connect',
  subscribe: '/meta/subscribe',
  unsubscribe: '/meta/unsubscribe',
  disconnect: '/meta/disconnect',
} as const;

export const ERRORS = {
  authenticationInvalid: '401::Authentication invalid',
  requestRequiresAuthentication: '401::Request requires authentication',
  handshakeDenied: '403::Handshake denied',
  unknownClient: '403::Unknown client',
  notHandshaken: '403::Client has not completed handshake',
  concurrentClients: '403::Organization concurrent user limit exceeded',
  publishDenied: '403::Publish denied',
  channelNotSpecified: '400::Channel name not specified',
  channelWithoutSlash: "400::Channel subscriptions must start with a leading '/'",
  userMismatch: "400::Authenticated user id does not match the session's user id",
  unknownGenericChannel: '404::Unknown channel',
  channelDoesNotExist: (channel: string) =>
    `400::The channel you requested to subscribe to does not exist {${channel}}`,
  invalidReplayId: (value: string) =>
    `400::The replayId {${value}} you provided was invalid.  Please provide a valid ID, -2 to replay all events, or -1 to replay only new events`,
  invalidConnectionType: (type: string) => `400::Invalid connection type ${type}`,
  noCookie: (clientId: string) =>
    `400::Client ${clientId} has established a session, but no BAYEUX_BROWSER cookie present`,
  versionMandatory: (latest: string) =>
    `400::API version in the URI is mandatory. URI format: '/cometd/${latest}'`,
  unsupportedVersion: (latest: string) =>
    `400::Unsupported API version. Only API versions '37.0' and later are supported. URI format: '/cometd/${latest}'`,
  unknownMetaChannel: (channel: string) => `400::Unknown channel ${channel}`,
  malformed: '400::Bad request: the body must be a JSON array of Bayeux messages',
} as const;

/** `advice` that tells a client to stop: its credentials are no good (re-authenticate first). */
export const ADVICE_NONE = { reconnect: 'none' } as const;
/** `advice` for a forgotten client: start over with a handshake, right away. */
export const ADVICE_HANDSHAKE = { reconnect: 'handshake', interval: 0 } as const;

/** Copies the request's `id` (string or number, as sent) into a reply. */
export function withId(reply: OutgoingMessage, message: IncomingMessage): OutgoingMessage {
  if (message.id !== undefined) reply.id = message.id;
  return reply;
}

/**
 * A failed reply on a meta channel, keys in the order Salesforce writes them:
 * `clientId, advice, channel, id, subscription, error, successful`.
 */
export function failure(
  message: IncomingMessage,
  error: string,
  extra: { readonly advice?: Record<string, unknown>; readonly clientId?: string | undefined } = {},
): OutgoingMessage {
  const reply: OutgoingMessage = {};
  const clientId = extra.clientId ?? message.clientId;
  if (clientId !== undefined) reply.clientId = clientId;
  if (extra.advice !== undefined) reply.advice = { ...extra.advice };
  reply.channel = message.channel ?? null;
  if (message.id !== undefined) reply.id = message.id;
  if (typeof message.subscription === 'string') reply.subscription = message.subscription;
  reply.error = error;
  reply.successful = false;
  return reply;
}
