import { describe, expect, it } from 'vitest';
import { DescribeCache, describeGlobal, SObject } from '../src/index.js';
import { sentTo, useOrg } from './support.js';

const org = useOrg();

const describeRequests = () => sentTo(org.sent, 'GET', 'sobjects/Account/describe');

describe('describe()', () => {
  it('returns the describe and serves repeats from the cache without a request', async () => {
    const cache = new DescribeCache();
    const accounts = new SObject(org.client, 'Account', { describeCache: cache });
    const first = await accounts.describe();
    expect(first.name).toBe('Account');
    expect(first.fields.some((field) => field.name === 'Name' && field.type === 'string')).toBe(true);
    expect(first.childRelationships.some((rel) => rel.relationshipName === 'Contacts')).toBe(true);
    const again = await new SObject(org.client, 'Account', { describeCache: cache }).describe();
    expect(again).toBe(first);
    expect(describeRequests()).toHaveLength(1);
    expect(Object.isFrozen(first.fields[0])).toBe(true);
  });

  it('revalidates with If-Modified-Since once stale; a 304 keeps the cached copy', async () => {
    const accounts = new SObject(org.client, 'Account', { describeCache: new DescribeCache({ maxAge: 0 }) });
    const first = await accounts.describe();
    const second = await accounts.describe();
    expect(second).toBe(first);
    const [initial, revalidation] = describeRequests();
    expect(initial?.headers['if-modified-since']).toBeUndefined();
    expect(revalidation?.headers['if-modified-since']).toMatch(/GMT$/);
  });

  it('fetches the new describe when the object changed since', async () => {
    const accounts = new SObject(org.client, 'Account', { describeCache: new DescribeCache({ maxAge: 0 }) });
    const before = await accounts.describe();
    org.emulator.org.clock.advance(2000);
    org.emulator.org.defineField('Account', { name: 'Tier__c', type: 'string' });
    const after = await accounts.describe();
    expect(after).not.toBe(before);
    expect(after.fields.some((field) => field.name === 'Tier__c')).toBe(true);
    expect(before.fields.some((field) => field.name === 'Tier__c')).toBe(false);
  });

  it('refresh: true revalidates a fresh entry', async () => {
    const accounts = new SObject(org.client, 'Account', { describeCache: new DescribeCache() });
    await accounts.describe();
    await accounts.describe({ refresh: true });
    expect(describeRequests()).toHaveLength(2);
  });

  it('shares one request among concurrent callers', async () => {
    const accounts = new SObject(org.client, 'Account', { describeCache: new DescribeCache() });
    const results = await Promise.all([accounts.describe(), accounts.describe(), accounts.describe()]);
    expect(new Set(results).size).toBe(1);
    expect(describeRequests()).toHaveLength(1);
  });

  it('keeps one entry per user: views of other users do not share describes', async () => {
    const cache = new DescribeCache();
    const bob = org.emulator.org.createUser({ username: 'bob@example.com' });
    const bobView = org.client.as({
      accessToken: bob.accessToken,
      instanceUrl: org.emulator.url,
      userId: bob.userId,
    });
    const adminView = org.client.as({
      accessToken: org.emulator.credentials.accessToken,
      instanceUrl: org.emulator.url,
      userId: org.emulator.credentials.userId,
    });
    await new SObject(adminView, 'Account', { describeCache: cache }).describe();
    await new SObject(bobView, 'Account', { describeCache: cache }).describe();
    await new SObject(bobView, 'Account', { describeCache: cache }).describe();
    expect(describeRequests()).toHaveLength(2);
    expect(cache.size).toBe(2);
  });

  it('describeGlobal lists the objects, cached the same way', async () => {
    const cache = new DescribeCache();
    const global = await describeGlobal(org.client, { cache });
    expect(global.sobjects.some((entry) => entry.name === 'Account' && entry.keyPrefix === '001')).toBe(true);
    await describeGlobal(org.client, { cache });
    expect(sentTo(org.sent, 'GET', 'sobjects/').filter((r) => /sobjects\/?$/.test(r.path))).toHaveLength(1);
  });
});

describe('replication and recent items', () => {
  it('updated() and deleted() report the records changed in a window', async () => {
    const accounts = new SObject(org.client, 'Account');
    const start = new Date(org.emulator.org.clock.now() - 60_000);
    const [kept, removed] = await accounts.create([{ Name: 'Kept' }, { Name: 'Removed' }]);
    await accounts.destroy(removed?.id as string);
    org.emulator.org.clock.advance(120_000);
    const end = new Date(org.emulator.org.clock.now());
    const updated = await accounts.updated(start, end);
    expect(updated.ids).toEqual([kept?.id]);
    expect(updated.latestDateCovered).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00\.000\+0000$/);
    const deleted = await accounts.deleted(start.toISOString(), end);
    expect(deleted.deletedRecords.map((entry) => entry.id)).toEqual([removed?.id]);
    const [request] = sentTo(org.sent, 'GET', 'sobjects/Account/updated');
    expect(request?.path).toMatch(/start=\d{4}-\d\d-\d\dT\d\d%3A\d\d%3A\d\d%2B00%3A00/);
    expect(() => accounts.updated('yesterday', end)).toThrow(
      /start: must be a Date or an ISO 8601 date-time/,
    );
  });

  it('recent() returns the recent items as tracked records', async () => {
    const accounts = new SObject(org.client, 'Account');
    await accounts.create({ Name: 'Recent One' });
    const recent = await accounts.recent();
    expect(recent.map((record) => record.Name)).toContain('Recent One');
  });
});
