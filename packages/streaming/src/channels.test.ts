import { ConfigurationError } from '@forcekit/core';
import { describe, expect, it } from 'vitest';
import { channelKind, cometdPath, parseChannel, toChannel } from './channels.js';

describe('channelKind', () => {
  it.each([
    ['/topic/InvoiceStatementUpdates', 'topic'],
    ['/event/Low_Ink__e', 'event'],
    ['/event/Order_Events__chn', 'event'],
    ['/event/LoginEventStream', 'event'],
    ['/data/ChangeEvents', 'change'],
    ['/data/AccountChangeEvent', 'change'],
    ['/data/Distributor__ChangeEvent', 'change'],
    ['/data/Sales__chn', 'change'],
    ['/u/Broadcast', 'generic'],
    ['/u/notifications/ExampleUserChannel', 'generic'],
  ] as const)('classifies %s as %s', (channel, kind) => {
    expect(channelKind(channel)).toBe(kind);
  });

  it.each([
    '/topic/',
    '/topic/A/B',
    "/topic/X' OR 1=1",
    '/topic/X?Name=Acme',
    '/meta/handshake',
    '/systemTopic/Logging',
    'topic/X',
    '/u/',
    '/u//X',
    '/event/Low Ink__e',
    '',
  ])('rejects %j', (channel) => {
    expect(channelKind(channel)).toBeUndefined();
  });
});

describe('parseChannel', () => {
  it('returns the kind of a valid channel', () => {
    expect(parseChannel('/data/ChangeEvents')).toBe('change');
  });

  it('throws a ConfigurationError naming the field and the accepted forms', () => {
    const error = (() => {
      try {
        parseChannel('/meta/connect', 'channel');
      } catch (caught) {
        return caught;
      }
    })() as ConfigurationError;
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.issues[0]?.field).toBe('channel');
    expect(error.message).toContain('"/meta/connect" is not a Streaming API channel');
    expect(error.message).toContain('/topic/<PushTopic>');
  });

  it('refuses a non-string', () => {
    expect(() => parseChannel(42)).toThrow(/channel: must be a channel name string/);
  });
});

describe('toChannel', () => {
  it('turns a bare PushTopic name into /topic/<name>', () => {
    expect(toChannel('AllAccounts')).toBe('/topic/AllAccounts');
  });

  it('keeps a full channel', () => {
    expect(toChannel('/event/Order__e')).toBe('/event/Order__e');
  });

  it('rejects a bad name, naming the field', () => {
    expect(() => toChannel('All Accounts')).toThrow(
      /name: "\/topic\/All Accounts" is not a Streaming API channel/,
    );
  });
});

describe('cometdPath', () => {
  it('puts the version in the path', () => {
    expect(cometdPath('62.0')).toBe('/cometd/62.0');
    expect(cometdPath('37.0')).toBe('/cometd/37.0');
  });

  it('uses the replay endpoint before 37.0', () => {
    expect(cometdPath('36.0')).toBe('/cometd/replay/36.0');
  });

  it('rejects a malformed version', () => {
    expect(() => cometdPath('v62')).toThrow(/version: must look like "62.0"/);
  });
});
