import { createClient, ForbiddenError, NotFoundError } from '@forcekit/core';
import { describe, expect, test } from 'vitest';
import { identity, limits, resources, versions } from '../src/rest/discovery.js';
import { useEmulator } from './rest-support.js';

const env = useEmulator();

describe('discovery resources against the emulator', () => {
  test('versions lists every served API version, oldest first, ending with the org version', async () => {
    const list = await versions(env.client);
    expect(list.at(-1)).toEqual({ label: expect.any(String), url: '/services/data/v62.0', version: '62.0' });
    const numbers = list.map((v) => Number.parseFloat(v.version));
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
  });

  test('resources maps resource names to paths of the client version', async () => {
    const list = await resources(env.client);
    expect(list.sobjects).toBe('/services/data/v62.0/sobjects');
    expect(list.query).toBe('/services/data/v62.0/query');
    expect(list.identity).toBe(
      `${env.emulator.url}/id/${env.emulator.org.organizationId}/${env.emulator.org.admin.id}`,
    );
  });

  test('limits reports DailyApiRequests going down as requests are made', async () => {
    const before = await limits(env.client);
    await resources(env.client);
    const after = await limits(env.client);
    expect(before.DailyApiRequests?.Max).toBeGreaterThan(0);
    expect(after.DailyApiRequests?.Remaining).toBeLessThan(before.DailyApiRequests?.Remaining ?? 0);
  });

  test('identity finds the identity URL through the resources list when the session has none', async () => {
    const who = await identity(env.client);
    expect(who.user_id).toBe(env.emulator.org.admin.id);
    expect(who.organization_id).toBe(env.emulator.org.organizationId);
    expect(who.username).toBe(env.emulator.credentials.username);
  });

  test('identity of a bound view is the view user, not the client user', async () => {
    const other = env.emulator.org.createUser({ username: 'second@emulator.forcekit.dev' });
    const view = env.client.as({ accessToken: other.accessToken, instanceUrl: env.emulator.url });
    const who = await identity(view);
    expect(who.username).toBe('second@emulator.forcekit.dev');
    expect(who.user_id).toBe(other.userId);
  });

  test('identity refreshes an expired session once, as the REST calls do', async () => {
    const c = env.emulator.credentials;
    const client = createClient({
      mode: 'multi',
      loginUrl: c.loginUrl,
      clientId: c.clientId,
      clientSecret: c.clientSecret,
      redirectUri: c.redirectUri,
    });
    try {
      const pending = client.authorizeUrl({ scope: ['api', 'refresh_token'] });
      const approved = await fetch(pending.url, { redirect: 'manual' });
      const session = await client.completeAuthorization(pending, approved.headers.get('location') as string);
      const refreshed: unknown[] = [];
      client.on('refresh', (event) => refreshed.push(event));
      env.emulator.org.expireSessions();
      const view = client.as(session);
      expect((await identity(view)).username).toBe(c.username);
      expect(refreshed).toHaveLength(1);
      expect(view.session?.accessToken).not.toBe(session.accessToken);
    } finally {
      await client.close();
    }
  });

  test('identity of an expired session that cannot be refreshed is the 403 the identity URL sent', async () => {
    const other = env.emulator.org.createUser({ username: 'expiring@emulator.forcekit.dev' });
    const view = env.client.as({
      accessToken: other.accessToken,
      instanceUrl: env.emulator.url,
      idUrl: env.emulator.org.identityUrl(other.userId),
    });
    env.emulator.org.expireSessions();
    const error = await identity(view).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ForbiddenError);
    expect((error as ForbiddenError).message).toContain('Bad_OAuth_Token');
  });

  test('a version the org does not serve is a NotFoundError', async () => {
    const old = createClient({
      instanceUrl: env.emulator.url,
      accessToken: env.emulator.credentials.accessToken,
      version: '20.0',
    });
    try {
      await expect(resources(old)).rejects.toBeInstanceOf(NotFoundError);
    } finally {
      await old.close();
    }
  });
});
