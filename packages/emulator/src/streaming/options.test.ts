import { describe, expect, it } from 'vitest';
import { resolveStreamingOptions, STREAMING_DEFAULTS } from './options.js';

describe('resolveStreamingOptions', () => {
  it("fills in Salesforce's defaults", () => {
    expect(resolveStreamingOptions(undefined)).toEqual(STREAMING_DEFAULTS);
    expect(STREAMING_DEFAULTS).toMatchObject({ holdMs: 110_000, reconnectWindowMs: 40_000 });
  });

  it('overrides only what is given, on top of a base', () => {
    const base = resolveStreamingOptions({ holdMs: 100 });
    expect(resolveStreamingOptions({ changeDataCapture: ['Account'] }, base)).toMatchObject({
      holdMs: 100,
      changeDataCapture: ['Account'],
      reconnectWindowMs: 40_000,
    });
  });

  it('names the bad option', () => {
    expect(() => resolveStreamingOptions({ holdMs: -5 })).toThrow(/^streaming\.holdMs: /);
    expect(() => resolveStreamingOptions({ changeDataCapture: 'some' as never })).toThrow(
      /streaming\.changeDataCapture/,
    );
    expect(() => resolveStreamingOptions({ holdMS: 5 } as never)).toThrow(/streaming\.options: .*holdMS/);
  });
});
