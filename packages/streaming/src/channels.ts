import { ConfigurationError } from '@forcekit/core';

/**
 * The kinds of Streaming API channel, by prefix:
 * - `topic`: a PushTopic, `/topic/<Name>`;
 * - `event`: a platform event, `/event/<Name>__e` (also custom channels `/event/<Name>__chn` and
 *   standard events such as `/event/LoginEventStream`);
 * - `change`: change data capture, `/data/ChangeEvents`, `/data/<Object>ChangeEvent`,
 *   `/data/<Name>__ChangeEvent` and custom channels `/data/<Name>__chn`;
 * - `generic`: a generic streaming channel, `/u/<Name>` (names may have several segments).
 */
export type ChannelKind = 'topic' | 'event' | 'change' | 'generic';

const SEGMENT = '[A-Za-z0-9_]+';
const CHANNEL_PATTERNS: readonly (readonly [ChannelKind, RegExp])[] = [
  ['topic', new RegExp(`^/topic/${SEGMENT}$`)],
  ['event', new RegExp(`^/event/${SEGMENT}$`)],
  ['change', new RegExp(`^/data/${SEGMENT}$`)],
  ['generic', new RegExp(`^/u/${SEGMENT}(?:/${SEGMENT})*$`)],
];

/** The kind of `channel`, or undefined when it is not a channel the Streaming API serves. */
export function channelKind(channel: string): ChannelKind | undefined {
  for (const [kind, pattern] of CHANNEL_PATTERNS) {
    if (pattern.test(channel)) return kind;
  }
  return undefined;
}

/**
 * Checks a channel name and returns its kind; anything else throws a `ConfigurationError` naming
 * `field`. Names are case-sensitive and made of letters, digits and underscores after the prefix.
 */
export function parseChannel(channel: unknown, field = 'channel'): ChannelKind {
  if (typeof channel !== 'string') {
    throw new ConfigurationError([{ field, message: 'must be a channel name string' }], 'streaming channel');
  }
  const kind = channelKind(channel);
  if (kind === undefined) {
    throw new ConfigurationError(
      [
        {
          field,
          message: `${JSON.stringify(channel)} is not a Streaming API channel: expected /topic/<PushTopic>, /event/<Event>__e, /data/<Object>ChangeEvent, /data/ChangeEvents or /u/<Channel>`,
        },
      ],
      'streaming channel',
    );
  }
  return kind;
}

/**
 * The channel a name stands for: a PushTopic name (`AllAccounts`) becomes `/topic/AllAccounts`; a
 * full channel (`/event/Order__e`) is kept as it is. Either way the result is checked.
 */
export function toChannel(nameOrChannel: string, field = 'name'): string {
  const channel =
    typeof nameOrChannel === 'string' && !nameOrChannel.startsWith('/')
      ? `/topic/${nameOrChannel}`
      : nameOrChannel;
  parseChannel(channel, field);
  return channel;
}

/**
 * The CometD endpoint path for an API version: `/cometd/62.0`. Versions before 37.0 used the separate
 * replay endpoint `/cometd/replay/36.0` for durable (replayable) subscriptions.
 */
export function cometdPath(version: string): string {
  const number = Number(version);
  if (!/^\d+\.\d$/.test(version) || !Number.isFinite(number)) {
    throw new ConfigurationError(
      [{ field: 'version', message: `must look like "62.0", got ${JSON.stringify(version)}` }],
      'streaming options',
    );
  }
  return number < 37 ? `/cometd/replay/${version}` : `/cometd/${version}`;
}
