import { setTimeout as sleep } from 'node:timers/promises';
import { Agent } from 'undici';
import { describe, expect, it } from 'vitest';
import { rejectionOf } from '../../../test-support/requests.js';
import { ClientClosedError, createClient, NetworkError, type SalesforceClient } from '../src/index.js';
import { useEmulatedOrg } from './support/emulator.js';

const org = useEmulatedOrg();

const LIMITS = '/services/data/v62.0/limits';

/** A client with its own connection pool (the harness's clients share an injected one). */
function ownPoolClient(options: { maxConcurrency?: number } = {}): SalesforceClient {
  return createClient({
    loginUrl: org.url,
    instanceUrl: org.url,
    accessToken: org.alice.accessToken,
    clientId: org.credentials.clientId,
    clientSecret: org.credentials.clientSecret,
    ...options,
  });
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await sleep(5);
}

describe('close()', () => {
  it('can be called twice, or twice at once: every call resolves', async () => {
    const client = ownPoolClient();
    await client.request({ path: 'limits' });
    const [first, second] = [client.close(), client.close()];
    expect(second).toBe(first);
    await expect(Promise.all([first, second])).resolves.toEqual([undefined, undefined]);
    await expect(client.close()).resolves.toBeUndefined();
  });

  it('refuses a request after close with a ClientClosedError naming it, and sends nothing', async () => {
    const client = ownPoolClient();
    await client.close();
    const error = await rejectionOf(client.request({ path: 'limits', query: { secret: 'x' } }));
    expect(error).toBeInstanceOf(ClientClosedError);
    expect(error).toMatchObject({ code: 'CLIENT_CLOSED', method: 'GET', path: LIMITS });
    expect(error.message).toBe(`GET ${LIMITS} was not sent: the client is closed`);
    expect(error.message).not.toContain(org.alice.accessToken);
    // Views share the closed pool; logins and raw requests are refused the same way.
    const view = client.as({ accessToken: org.bob.accessToken, instanceUrl: org.url });
    expect(await rejectionOf(view.request({ path: 'sobjects' }))).toBeInstanceOf(ClientClosedError);
    expect(await rejectionOf(client.raw({ path: 'limits' }))).toBeInstanceOf(ClientClosedError);
    const login = await rejectionOf(
      client.loginWithPassword({
        username: org.alice.username,
        password: org.alice.password,
        securityToken: org.alice.securityToken,
      }),
    );
    expect(login).toBeInstanceOf(ClientClosedError);
    expect(login).toMatchObject({ method: 'POST', path: '/services/oauth2/token' });
    expect(await org.requests()).toEqual([]);
  });

  it('lets a request on the wire finish, and refuses one still waiting for a slot', async () => {
    org.org.faults.latency(200, { path: LIMITS });
    const client = ownPoolClient({ maxConcurrency: 1 });
    const inFlight = client.request<Record<string, unknown>>({ path: 'limits' });
    const waiting = client.request({ path: 'limits' });
    await until(() => org.org.limits.inFlight === 1);
    const closed = client.close();
    expect(await inFlight).toHaveProperty('DailyApiRequests');
    expect(await rejectionOf(waiting)).toBeInstanceOf(ClientClosedError);
    await closed;
    expect((await org.requests({ path: LIMITS })).map((r) => r.status)).toEqual([200]);
  });

  it('reports a dispatcher its owner closed as CLIENT_CLOSED, without retrying it', async () => {
    const agent = new Agent();
    const client = org.client({
      accessToken: org.alice.accessToken,
      instanceUrl: org.url,
      dispatcher: agent,
    });
    await client.request({ path: 'limits' });
    await agent.close();
    const error = await rejectionOf(client.request({ path: 'limits' }));
    expect(error).toBeInstanceOf(ClientClosedError);
    expect(error).not.toBeInstanceOf(NetworkError);
    expect(error.message).toBe(`GET ${LIMITS} was not sent: the dispatcher is closed`);
    expect((error.cause as { code?: string }).code).toBe('UND_ERR_DESTROYED');
    expect((await org.requests({ path: LIMITS })).map((r) => r.status)).toEqual([200]);
  });
});
