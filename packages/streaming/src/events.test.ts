import { describe, expect, it } from 'vitest';
import { eventTimeOf, replayIdOf } from './events.js';

describe('replayIdOf', () => {
  it('reads data.event.replayId', () => {
    expect(replayIdOf({ event: { replayId: 15529385 } })).toBe(15529385);
  });

  it('is undefined when there is none or it is not a safe integer', () => {
    expect(replayIdOf({ event: {} })).toBeUndefined();
    expect(replayIdOf({ event: { replayId: '7' } })).toBeUndefined();
    expect(replayIdOf({ event: { replayId: 1.5 } })).toBeUndefined();
    expect(replayIdOf('text')).toBeUndefined();
    expect(replayIdOf(null)).toBeUndefined();
  });
});

describe('eventTimeOf', () => {
  it('reads a PushTopic or generic event createdDate, in either offset format', () => {
    expect(eventTimeOf({ event: { createdDate: '2017-05-16T23:05:50.173Z', replayId: 1 } })).toBe(
      Date.parse('2017-05-16T23:05:50.173Z'),
    );
    expect(eventTimeOf({ event: { createdDate: '2017-05-16T23:05:50.173+0000', replayId: 1 } })).toBe(
      Date.parse('2017-05-16T23:05:50.173Z'),
    );
  });

  it('reads a platform event CreatedDate', () => {
    expect(eventTimeOf({ payload: { CreatedDate: '2017-04-09T18:31:40Z' }, event: { replayId: 2 } })).toBe(
      Date.parse('2017-04-09T18:31:40Z'),
    );
  });

  it('reads a change event commitTimestamp', () => {
    expect(eventTimeOf({ payload: { ChangeEventHeader: { commitTimestamp: 1708828037000 } } })).toBe(
      1708828037000,
    );
  });

  it('is undefined without a readable time', () => {
    expect(eventTimeOf({ event: { createdDate: 'yesterday' } })).toBeUndefined();
    expect(eventTimeOf({ payload: 'text' })).toBeUndefined();
    expect(eventTimeOf(undefined)).toBeUndefined();
  });
});
