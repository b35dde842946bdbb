import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { type Emulator, startEmulator } from '@forcekit/emulator';
import {
  ConfigurationError,
  type Connection,
  type ConnectionSObject,
  createConnection,
  from,
  type RefreshEvent,
  reference,
  SessionRequiredError,
  type SObject,
  subrequest,
} from 'forcekit';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, expectTypeOf, test } from 'vitest';

interface Account {
  Id: string;
  Name: string;
  Industry: 'Energy' | 'Retail' | null;
  AnnualRevenue: number | null;
  Contacts: Contact[];
}

interface Contact {
  Id: string;
  LastName: string;
  AccountId: string | null;
  Account: Account | null;
}

interface Schema {
  Account: Account;
  Contact: Contact;
}

let emulator: Emulator;
const open: { close(): Promise<void> }[] = [];

/** A connection signed in as the emulator's admin with its access token. */
function tokenConnection(): Connection<Schema> {
  const conn = createConnection<Schema>({
    instanceUrl: emulator.url,
    accessToken: emulator.credentials.accessToken,
  });
  open.push(conn);
  return conn;
}

beforeAll(async () => {
  emulator = await startEmulator();
});

beforeEach(() => emulator.org.reset());

afterEach(async () => {
  await Promise.all(open.splice(0).map((conn) => conn.close()));
});

afterAll(async () => {
  await emulator.stop();
});

describe('createConnection types', () => {
  test('a schema types sobject() by name; no schema takes any name', () => {
    const conn = tokenConnection();
    expectTypeOf(conn.sobject('Account')).toEqualTypeOf<ConnectionSObject<Account>>();
    expectTypeOf(conn.sobject('Account')).toExtend<SObject<Account>>();
    // @ts-expect-error: not an object of the schema
    expect(() => conn.sobject('Lead')).not.toThrow();
    const untyped = createConnection({ instanceUrl: emulator.url, accessToken: 'x' });
    open.push(untyped);
    expectTypeOf(untyped.sobject('Anything__c')).toEqualTypeOf<ConnectionSObject<Record<string, unknown>>>();
  });

  test('bad options throw a ConfigurationError naming the field', () => {
    expect(() => createConnection({ maxConcurrency: 0 })).toThrow(ConfigurationError);
    expect(() => createConnection({ maxConcurrency: 0 })).toThrow(/maxConcurrency/);
    expect(() => createConnection({ describeCache: { maxAge: -1 } })).toThrow(
      /describe cache options: maxAge/,
    );
    expect(() => createConnection(null as never)).toThrow(/\(options\): must be an object/);
  });
});

describe('login', () => {
  test('uses the OAuth password flow when the connection has a client id', async () => {
    const c = emulator.credentials;
    const conn = createConnection({
      loginUrl: c.loginUrl,
      clientId: c.clientId,
      clientSecret: c.clientSecret,
    });
    open.push(conn);
    const session = await conn.login(c.username, c.password + c.securityToken);
    expect(session.grant).toBe('password');
    expect(conn.session).toBe(session);
    expect((await conn.identity()).username).toBe(c.username);
  });

  test('uses SOAP login without a client id', async () => {
    const c = emulator.credentials;
    const conn = createConnection({ loginUrl: c.loginUrl });
    open.push(conn);
    const session = await conn.login(c.username, c.password + c.securityToken);
    expect(session.grant).toBe('soap');
    expect((await conn.limits()).DailyApiRequests?.Max).toBeGreaterThan(0);
  });

  test('a wrong password rejects without echoing it', async () => {
    const c = emulator.credentials;
    const conn = createConnection({
      loginUrl: c.loginUrl,
      clientId: c.clientId,
      clientSecret: c.clientSecret,
    });
    open.push(conn);
    const error = await conn.login(c.username, 'not-the-password-123').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid_grant' });
    expect(String((error as Error).message)).not.toContain('not-the-password-123');
  });
});

describe('records and queries through the facade', () => {
  test('creates, finds, updates only changed fields, and deletes', async () => {
    const conn = tokenConnection();
    const accounts = conn.sobject('Account');
    const created = await accounts.create({ Name: 'Acme', Industry: 'Energy' });
    expect(created.success).toBe(true);
    const {
      records: [acme],
      totalSize,
    } = await accounts.find({ Name: 'Acme' }, ['Id', 'Name', 'Industry']).execute();
    expect(totalSize).toBe(1);
    expect(acme?.Industry).toBe('Energy');
    if (acme === undefined) throw new Error('not found');
    acme.Industry = 'Retail';
    await accounts.update(acme);
    expect(emulator.org.records('Account')[0]?.Industry).toBe('Retail');
    await accounts.destroy(acme.Id);
    expect(emulator.org.records('Account')).toEqual([]);
  });

  test('query, queryAll and queryMore page through SOQL text', async () => {
    emulator.org.generate('Account', 450, { Name: (i: number) => `Gen ${String(i).padStart(4, '0')}` });
    const conn = tokenConnection();
    const first = await conn
      .query('SELECT Id, Name FROM Account ORDER BY Name', { batchSize: 200 })
      .execute();
    expect(first.records).toHaveLength(200);
    expect(first.done).toBe(false);
    const second = await conn.queryMore(first.nextRecordsUrl as string);
    expect(second.records[0]?.Name).toBe('Gen 0200');
    let count = 0;
    for await (const _ of conn.queryAll('SELECT Id FROM Account')) count++;
    expect(count).toBe(450);
  });

  test('search, composite, compositeTree, apex and the discovery resources share the connection', async () => {
    const conn = tokenConnection();
    const tree = await conn.compositeTree('Account', [
      { Name: 'Tree Co', Contacts: { records: [{ attributes: { type: 'Contact' }, LastName: 'Leaf' }] } },
    ]);
    expect(Object.keys(tree.ids)).toHaveLength(2);
    const found = await conn.search({ find: 'Tree', returning: [from('Account').select(['Id', 'Name'])] });
    expect(found.searchRecords.map((r) => r.Name)).toEqual(['Tree Co']);
    const acct = reference('acct');
    const result = await conn.composite({
      acct: subrequest.create('Account', { Name: 'Composite Co' }),
      contact: subrequest.create('Contact', { LastName: 'Linked', AccountId: acct.id }),
    });
    expect(result.success).toBe(true);
    emulator.org.apexRoute('GET', '/hello/:name', (req) => ({
      body: { greeting: `Hello ${req.params.name}` },
    }));
    expect(await conn.apex.get('/hello/World')).toEqual({ greeting: 'Hello World' });
    expect((await conn.versions()).at(-1)?.version).toBe(conn.version);
    expect((await conn.resources()).sobjects).toBe(`/services/data/v${conn.version}/sobjects`);
    expect(
      await conn.request<{ totalSize: number }>({
        path: 'query',
        query: { q: 'SELECT COUNT() FROM Contact' },
      }),
    ).toMatchObject({
      totalSize: 2,
    });
    expect(conn.limitInfo?.used).toBeGreaterThan(0);
  });

  test('uploads and downloads files', async () => {
    const conn = tokenConnection();
    const data = Buffer.from('a,b\n1,2\n');
    const uploaded = await conn.uploadContentVersion(
      { PathOnClient: 'data.csv', Title: 'Data' },
      Readable.from([data]),
    );
    const chunks: Buffer[] = [];
    for await (const chunk of await conn.getContentVersionBody(uploaded.id)) chunks.push(chunk as Buffer);
    const hash = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    expect(hash(Buffer.concat(chunks))).toBe(hash(data));
  });
});

describe('multi-user mode', () => {
  test('as(session) binds every call to that user; the connection itself has no session', async () => {
    const c = emulator.credentials;
    const conn = createConnection({
      mode: 'multi',
      loginUrl: c.loginUrl,
      clientId: c.clientId,
      clientSecret: c.clientSecret,
    });
    open.push(conn);
    const other = emulator.org.createUser({ username: 'multi.user@emulator.forcekit.dev' });
    const admin = await conn.login(c.username, c.password + c.securityToken);
    const user = await conn.login(other.username, other.password + other.securityToken);
    expect(conn.session).toBeUndefined();
    await expect(conn.limits()).rejects.toBeInstanceOf(SessionRequiredError);
    const [asAdmin, asUser] = [conn.as(admin), conn.as(user)];
    expect((await asAdmin.identity()).username).toBe(c.username);
    expect((await asUser.identity()).username).toBe(other.username);
    await asUser.sobject('Account').create({ Name: 'Owned by the user' });
    expect(emulator.org.records('Account')[0]?.OwnerId).toBe(other.userId);
  });

  test("emits 'refresh' when an expired session is refreshed, with the new session to persist", async () => {
    const c = emulator.credentials;
    const conn = createConnection({
      mode: 'multi',
      loginUrl: c.loginUrl,
      clientId: c.clientId,
      clientSecret: c.clientSecret,
      redirectUri: c.redirectUri,
    });
    open.push(conn);
    const pending = conn.authorizeUrl({ scope: ['api', 'refresh_token'] });
    const approved = await fetch(pending.url, { redirect: 'manual' });
    const session = await conn.completeAuthorization(pending, approved.headers.get('location') as string);
    expect(session.refreshToken).toBeDefined();
    const events: RefreshEvent[] = [];
    const off = conn.on('refresh', (event) => events.push(event));
    emulator.org.expireSessions();
    const view = conn.as(session);
    expect((await view.limits()).DailyApiRequests?.Max).toBeGreaterThan(0);
    off();
    expect(events).toHaveLength(1);
    expect(events[0]?.previous).toBe(session);
    expect(events[0]?.session.accessToken).not.toBe(session.accessToken);
    expect(view.session?.accessToken).toBe(events[0]?.session.accessToken);
  });
});
