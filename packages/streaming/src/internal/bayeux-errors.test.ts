import { describe, expect, it } from 'vitest';
import { classifyFailure, failureReasonOf, parseBayeuxError } from './bayeux-errors.js';

describe('parseBayeuxError', () => {
  it('splits code, arguments and text', () => {
    expect(parseBayeuxError('401::Authentication invalid')).toEqual({
      code: 401,
      text: 'Authentication invalid',
      raw: '401::Authentication invalid',
    });
    expect(parseBayeuxError('403:denied_by_security_policy:create_denied')).toMatchObject({
      code: 403,
      text: 'create_denied',
    });
  });

  it('keeps a string without a code as text', () => {
    expect(parseBayeuxError('something odd')).toEqual({
      code: undefined,
      text: 'something odd',
      raw: 'something odd',
    });
  });
});

describe('classifyFailure', () => {
  it.each([
    [{ error: '401::Authentication invalid', advice: { reconnect: 'none' } }, 'reauthenticate'],
    [
      {
        error: '403::Handshake denied',
        ext: { sfdc: { failureReason: '401::Authentication invalid' }, replay: true },
      },
      'reauthenticate',
    ],
    [{ error: '403::Handshake denied' }, 'reauthenticate'],
    [{ error: '401::Request requires authentication' }, 'reauthenticate'],
    [{ error: '403::Unknown client', advice: { reconnect: 'handshake', interval: 0 } }, 'rehandshake'],
    [
      {
        error:
          '400::The replayId {42} you provided was invalid.  Please provide a valid ID, -2 to replay all events, or -1 to replay only new events',
      },
      'invalid-replay',
    ],
    [
      { error: '400::The channel you requested to subscribe to does not exist {/topic/Nope}' },
      'channel-not-found',
    ],
    [{ error: '404::Unknown channel' }, 'channel-not-found'],
    [{ error: '403::Organization concurrent user limit exceeded' }, 'limit'],
    [{ error: '403:denied_by_security_policy:create_denied' }, 'refused'],
  ])('classifies %j as %s', (reply, kind) => {
    expect(classifyFailure(reply)).toBe(kind);
  });

  it('leaves failures without a server error (network) unclassified', () => {
    expect(classifyFailure({})).toBeUndefined();
    expect(classifyFailure({ error: undefined })).toBeUndefined();
  });
});

describe('failureReasonOf', () => {
  it('reads ext.sfdc.failureReason and nothing else', () => {
    expect(failureReasonOf({ ext: { sfdc: { failureReason: '401::Authentication invalid' } } })).toBe(
      '401::Authentication invalid',
    );
    expect(failureReasonOf({ ext: { sfdc: {} } })).toBeUndefined();
    expect(failureReasonOf({ ext: 'x' })).toBeUndefined();
    expect(failureReasonOf({})).toBeUndefined();
  });
});
