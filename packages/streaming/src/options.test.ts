import { ConfigurationError } from '@forcekit/core';
import { describe, expect, it } from 'vitest';
import { resolveStreamingOptions, resolveSubscribeOptions } from './options.js';
import { MemoryReplayStore } from './replay-store.js';

function issuesOf(run: () => unknown): { field: string; message: string }[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return [...(error as ConfigurationError).issues];
  }
  throw new Error('expected a ConfigurationError');
}

describe('resolveStreamingOptions', () => {
  it('fills in the documented defaults', () => {
    const options = resolveStreamingOptions(undefined);
    expect(options.replayStore).toBeInstanceOf(MemoryReplayStore);
    expect(options).toMatchObject({
      invalidReplay: 'all',
      maxBuffer: 1_000,
      overflow: 'pause',
      reconnect: { initialMs: 1_000, maxMs: 60_000 },
      maxNetworkDelayMs: 15_000,
    });
  });

  it('names every bad field at once', () => {
    const issues = issuesOf(() =>
      resolveStreamingOptions({
        replayStore: {} as never,
        invalidReplay: 'sometimes' as never,
        maxBuffer: 0,
        reconnect: { initialDelayMs: 1.5 },
      }),
    );
    expect(issues.map((issue) => issue.field).sort()).toEqual([
      'invalidReplay',
      'maxBuffer',
      'reconnect.initialDelayMs',
      'replayStore',
    ]);
  });

  it('names each unknown option, nested ones by their path', () => {
    expect(
      issuesOf(() => resolveStreamingOptions({ replay: -2, reconnect: { maxDelay: 5 } } as never)).sort(
        (a, b) => a.field.localeCompare(b.field),
      ),
    ).toEqual([
      { field: 'reconnect.maxDelay', message: 'unknown option' },
      { field: 'replay', message: 'unknown option' },
    ]);
  });

  it('refuses a maximum delay below the initial one', () => {
    expect(
      issuesOf(() => resolveStreamingOptions({ reconnect: { initialDelayMs: 500, maxDelayMs: 100 } })),
    ).toEqual([{ field: 'reconnect.maxDelayMs', message: 'must not be less than reconnect.initialDelayMs' }]);
  });
});

describe('resolveSubscribeOptions', () => {
  const defaults = resolveStreamingOptions({ maxBuffer: 50, invalidReplay: 'new' });

  it('inherits the Streaming options and starts from -1', () => {
    expect(resolveSubscribeOptions(undefined, defaults)).toEqual({
      replay: -1,
      signal: undefined,
      invalidReplay: 'new',
      maxBuffer: 50,
      overflow: 'pause',
    });
  });

  it('lets a subscription override them', () => {
    const signal = new AbortController().signal;
    expect(resolveSubscribeOptions({ replay: 42, signal, overflow: 'error' }, defaults)).toMatchObject({
      replay: 42,
      signal,
      overflow: 'error',
    });
  });

  it('refuses a replay below -2, a fractional one, and a signal that is not one', () => {
    expect(issuesOf(() => resolveSubscribeOptions({ replay: -3 }, defaults))[0]?.field).toBe('replay');
    expect(issuesOf(() => resolveSubscribeOptions({ replay: 1.5 }, defaults))[0]?.field).toBe('replay');
    expect(issuesOf(() => resolveSubscribeOptions({ signal: {} as never }, defaults))[0]).toEqual({
      field: 'signal',
      message: 'must be an AbortSignal',
    });
  });
});
