import { describe, expect, it } from 'vitest';
import { parseLimitInfo } from './limit-info.js';

describe('parseLimitInfo', () => {
  it('reads api-usage', () => {
    expect(parseLimitInfo('api-usage=18/15000')).toEqual({ used: 18, max: 15000 });
  });

  it('reads the per-app quota that may follow', () => {
    expect(
      parseLimitInfo('api-usage=25/5000, per-app-api-usage=17/250(appName=sample-connected-app)'),
    ).toEqual({
      used: 25,
      max: 5000,
      perApp: { used: 17, max: 250, appName: 'sample-connected-app' },
    });
  });

  it('does not mistake per-app usage for the org usage', () => {
    expect(parseLimitInfo('per-app-api-usage=17/250(appName=x), api-usage=3/100')).toEqual({
      used: 3,
      max: 100,
      perApp: { used: 17, max: 250, appName: 'x' },
    });
  });

  it('returns undefined for a missing or unreadable header', () => {
    expect(parseLimitInfo(undefined)).toBeUndefined();
    expect(parseLimitInfo('api-usage=lots')).toBeUndefined();
  });
});
