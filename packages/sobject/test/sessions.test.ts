import { createClient, type RefreshEvent, SessionRequiredError } from '@forcekit/core';
import { describe, expect, it } from 'vitest';
import { query, SObject } from '../src/index.js';
import { rejectionOf, sentTo, useOrg } from './support.js';

const org = useOrg();

function seedAccounts(n: number): void {
  org.emulator.org.generate('Account', n, { Name: (i: number) => `A${String(i).padStart(4, '0')}` });
}

/** A client logged in with the JWT bearer flow, which it repeats when the session expires. */
async function jwtClient() {
  const { loginUrl, clientId, jwtPrivateKey, username } = org.emulator.credentials;
  const client = org.newClient({
    loginUrl,
    clientId,
    privateKey: jwtPrivateKey,
    accessToken: undefined,
    instanceUrl: undefined,
    dispatcher: org.recorder.dispatcher,
  });
  await client.loginWithJwt({ username });
  return client;
}

describe('an expired session in the middle of paging', () => {
  it('refreshes once and replays the page request; the loop sees every record', async () => {
    seedAccounts(4500);
    const client = await jwtClient();
    const refreshes: RefreshEvent[] = [];
    client.on('refresh', (event) => refreshes.push(event));
    const before = client.session?.accessToken;
    // The first nextRecordsUrl request ends every session: it is answered 401 INVALID_SESSION_ID.
    org.emulator.org.faults.expireSessions({ path: '/services/data/*/query/*', times: 1 });
    org.sent.length = 0;

    const names: string[] = [];
    for await (const record of query(client, 'SELECT Id, Name FROM Account ORDER BY Name')) {
      names.push((record as { Name: string }).Name);
    }

    expect(names).toHaveLength(4500);
    expect(names[2000]).toBe('A2000');
    expect(refreshes).toHaveLength(1);
    expect(client.session?.accessToken).not.toBe(before);
    const pages = sentTo(org.sent, 'GET', 'query');
    // First page, page 2 (401), page 2 again with the new session, page 3.
    expect(pages).toHaveLength(4);
    expect(pages[1]?.path).toBe(pages[2]?.path);
    expect(pages[1]?.headers.authorization).not.toBe(pages[2]?.headers.authorization);
  });

  it('execute({ autoFetch }) survives the same expiry', async () => {
    seedAccounts(2500);
    const client = await jwtClient();
    org.emulator.org.faults.expireSessions({ path: '/services/data/*/query/*', times: 1 });
    const result = await query(client, 'SELECT Id FROM Account').execute({ autoFetch: true });
    expect(result.records).toHaveLength(2500);
    expect(result.done).toBe(true);
  });
});

describe('multi-user mode through client.as(session)', () => {
  it("signs every request, paging included, with the view's session; users do not see each other's cursors", async () => {
    seedAccounts(2500);
    const bob = org.emulator.org.createUser({ username: `bob${Date.now()}@example.com` });
    const client = createClient({ mode: 'multi', maxRetries: 0, dispatcher: org.recorder.dispatcher });
    const instanceUrl = org.emulator.url;
    // A fresh admin session: the tests above expired every session of the org.
    const adminToken = org.emulator.org.createSession();
    const admin = client.as({ accessToken: adminToken, instanceUrl });
    const asBob = client.as({ accessToken: bob.accessToken, instanceUrl });

    const [adminCreated, bobCreated] = await Promise.all([
      new SObject(admin, 'Account').create({ Name: 'By admin' }),
      new SObject(asBob, 'Account').create({ Name: 'By bob' }),
    ]);
    const owners = new Map(org.emulator.org.records('Account').map((record) => [record.Id, record.OwnerId]));
    expect(owners.get(adminCreated.id)).toBe(org.emulator.credentials.userId);
    expect(owners.get(bobCreated.id)).toBe(bob.userId);

    // Two users page the same query at once: each nextRecordsUrl is fetched with its owner's session.
    const soql = 'SELECT Id FROM Account';
    const [adminAll, bobAll] = await Promise.all([
      query(admin, soql).execute({ autoFetch: true }),
      query(asBob, soql).execute({ autoFetch: true }),
    ]);
    expect(adminAll.records).toHaveLength(2502);
    expect(bobAll.records).toHaveLength(2502);
    const locatorRequests = sentTo(org.sent, 'GET', 'query/');
    expect(locatorRequests).toHaveLength(2);
    const tokens = new Set(locatorRequests.map((request) => request.headers.authorization));
    expect(tokens).toEqual(new Set([`Bearer ${adminToken}`, `Bearer ${bob.accessToken}`]));

    // A locator belongs to the user who opened it: another user's session cannot read it.
    const page = await query(admin, soql).execute();
    const stolen = await rejectionOf(asBob.request({ path: page.nextRecordsUrl as string }));
    expect((stolen as { code?: string }).code).toBe('INVALID_QUERY_LOCATOR');
  });

  it('refuses to run without a session in multi-user mode', async () => {
    const client = createClient({ mode: 'multi', maxRetries: 0 });
    const error = await rejectionOf(new SObject(client, 'Account').create({ Name: 'x' }));
    expect(error).toBeInstanceOf(SessionRequiredError);
    await client.close();
  });
});
