import { SalesforceError } from '@forcekit/core';

/**
 * Stable codes of `StreamingError`:
 * - `CHANNEL_NOT_FOUND`: the server says the channel does not exist (or you may not see it);
 * - `SUBSCRIBE_FAILED`: the server refused the subscription for another reason;
 * - `INVALID_REPLAY_ID`: the replay id is unknown or past retention and `invalidReplay` is `'error'`;
 * - `AUTHENTICATION_FAILED`: the session could not be refreshed, or a fresh one was refused too;
 * - `HANDSHAKE_FAILED`: the server refused the CometD handshake for a reason a new token cannot fix;
 * - `CONNECTION_LOST`: the long poll failed (network, unknown client); the client is reconnecting;
 * - `BUFFER_OVERFLOW`: the buffer filled up and `overflow` is `'error'`;
 * - `LISTENER_FAILED`: a `'data'` listener threw or rejected (`cause` holds what it threw);
 * - `REPLAY_STORE_FAILED`: the replay store could not load or save a replay id;
 * - `ALREADY_SUBSCRIBED`: this `Streaming` already has a live subscription on the channel;
 * - `CLOSED`: the `Streaming` object was closed.
 */
export type StreamingErrorCode =
  | 'CHANNEL_NOT_FOUND'
  | 'SUBSCRIBE_FAILED'
  | 'INVALID_REPLAY_ID'
  | 'AUTHENTICATION_FAILED'
  | 'HANDSHAKE_FAILED'
  | 'CONNECTION_LOST'
  | 'BUFFER_OVERFLOW'
  | 'LISTENER_FAILED'
  | 'REPLAY_STORE_FAILED'
  | 'ALREADY_SUBSCRIBED'
  | 'CLOSED';

/** A Streaming API failure: part of forcekit's one error tree (`SalesforceError`). */
export class StreamingError extends SalesforceError {
  declare readonly code: StreamingErrorCode;
  /** The channel concerned, when there is one. */
  readonly channel: string | undefined;
  /** The Bayeux `error` the server sent (`400::The channel you requested ...`), when it sent one. */
  readonly bayeuxError: string | undefined;

  constructor(
    code: StreamingErrorCode,
    message: string,
    options: { channel?: string | undefined; bayeuxError?: string | undefined; cause?: unknown } = {},
  ) {
    super(code, message, options.cause === undefined ? undefined : { cause: options.cause });
    this.channel = options.channel;
    this.bayeuxError = options.bayeuxError;
  }
}
