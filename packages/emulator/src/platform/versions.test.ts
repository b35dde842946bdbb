import { describe, expect, it } from 'vitest';
import { isServedVersion, releaseLabel, resourcesByVersion, versionsList } from './versions.js';

describe('releaseLabel', () => {
  it('names versions after their release, as the recorded versions list does', () => {
    expect(releaseLabel(20)).toBe("Winter '11");
    expect(releaseLabel(21)).toBe("Spring '11");
    expect(releaseLabel(22)).toBe("Summer '11");
    expect(releaseLabel(23)).toBe("Winter '12");
    expect(releaseLabel(62)).toBe("Winter '25");
    expect(releaseLabel(65)).toBe("Winter '26");
  });
});

describe('versionsList', () => {
  it('runs from 31.0 to the latest, oldest first', () => {
    const list = versionsList('60.0');
    expect(list[0]?.version).toBe('31.0');
    expect(list.at(-1)).toEqual({ label: "Spring '24", url: '/services/data/v60.0', version: '60.0' });
    expect(list).toHaveLength(30);
  });
});

describe('isServedVersion', () => {
  it('accepts 31.0 to the latest only', () => {
    expect(isServedVersion('31.0', '62.0')).toBe(true);
    expect(isServedVersion('62.0', '62.0')).toBe(true);
    expect(isServedVersion('30.0', '62.0')).toBe(false);
    expect(isServedVersion('63.0', '62.0')).toBe(false);
    expect(isServedVersion('62.5', '62.0')).toBe(false);
  });
});

describe('resourcesByVersion', () => {
  it('gives relative paths and the absolute identity URL', () => {
    const resources = resourcesByVersion('62.0', 'http://h/id/00D/005');
    expect(resources.limits).toBe('/services/data/v62.0/limits');
    expect(resources.identity).toBe('http://h/id/00D/005');
  });
});
