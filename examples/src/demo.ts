/**
 * `pnpm demo`: starts a local Salesforce emulator, fills it with data, and walks through forcekit's
 * headline features, printing what happens. Needs no Salesforce account; exits 0 when it is done.
 */
import { startEmulator } from '@forcekit/emulator';
import {
  changedFields,
  createConnection,
  escapeSosl,
  from,
  type PushTopicEvent,
  type RefreshEvent,
  reference,
  subrequest,
} from 'forcekit';
import { isMain, type Log } from './org.js';
import type { Schema } from './schema.js';

const ACCOUNTS = 10_000;
const BULK_CONTACTS = 5_000;

/** `promise`, or an error after `ms`: the demo must end even if something it waits for never comes. */
async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not arrive within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface DemoSummary {
  readonly streamed: number;
  readonly contactsCreated: number;
  readonly bulkCreated: number;
  readonly streamingEvents: number;
  readonly refreshes: number;
  readonly apiRequests: number;
}

export async function runDemo(log: Log): Promise<DemoSummary> {
  const step = (title: string) => log(`\n== ${title}`);

  step('A local Salesforce org');
  const emulator = await startEmulator();
  const { org } = emulator;
  org.generate('Account', ACCOUNTS, {
    Industry: (i: number) => (['Energy', 'Retail', 'Banking'] as const)[i % 3],
  });
  org.insert('Account', [{ Name: 'AT&T (Demo)', Industry: 'Communications' }]);
  log(`emulator at ${emulator.url}, seeded with ${ACCOUNTS + 1} accounts`);

  const c = emulator.credentials;
  const conn = createConnection<Schema>({
    loginUrl: c.loginUrl,
    clientId: c.clientId,
    clientSecret: c.clientSecret,
  });
  try {
    step('Log in (OAuth 2.0 username-password flow)');
    await conn.login(c.username, c.password + c.securityToken);
    const me = await conn.identity();
    log(`logged in as ${me.username}; API version ${conn.version}`);

    step('Typed records: create, retrieve, change one field, save only that field');
    const accounts = conn.sobject('Account');
    const { id } = await accounts.create({
      Name: 'Acme Rockets',
      Industry: 'Energy',
      AnnualRevenue: 5_000_000,
    });
    const acme = await accounts.retrieve(id as string, {
      fields: ['Id', 'Name', 'Industry', 'AnnualRevenue'],
    });
    acme.AnnualRevenue = 7_500_000;
    log(`created ${acme.Name} (${id}); changed fields before update: ${JSON.stringify(changedFields(acme))}`);
    await accounts.update(acme);
    log(
      `saved: AnnualRevenue is now ${(await accounts.retrieve(id as string, { fields: ['AnnualRevenue'] })).AnnualRevenue}`,
    );

    step('A query builder that compiles to SOQL, checked against the schema');
    const bigEnergy = accounts
      .find({ Industry: 'Energy', AnnualRevenue: { $gte: 1_000_000 } }, ['Id', 'Name', 'AnnualRevenue'])
      .sort('-AnnualRevenue')
      .limit(3);
    log(bigEnergy.toSOQL());
    for (const row of (await bigEnergy.execute()).records) log(`  ${row.Name}: ${row.AnnualRevenue}`);

    step(`Stream every account with for await (pages fetched lazily, one page ahead)`);
    let streamed = 0;
    const started = performance.now();
    for await (const _account of conn.query('SELECT Id, Name FROM Account')) streamed++;
    log(`streamed ${streamed} accounts in ${Math.round(performance.now() - started)} ms`);

    step('Many records at once: sObject Collections, 200 a request, results in input order');
    const contacts = Array.from({ length: 1_000 }, (_, i) => ({
      LastName: `Demo ${i}`,
      AccountId: id as string,
    }));
    contacts[500] = { LastName: '', AccountId: id as string }; // a record that fails
    const saved = await conn.sobject('Contact').create(contacts);
    const failures = saved.filter((r) => !r.success);
    log(
      `created ${saved.length - failures.length} contacts; ${failures.length} failed (record 500: ${failures[0]?.errors[0]?.statusCode}), none lost`,
    );

    step('More records than Collections should carry: createMany switches to Bulk API 2.0');
    const many = Array.from({ length: BULK_CONTACTS }, (_, i) => ({
      LastName: `Bulk ${i}`,
      AccountId: id as string,
    }));
    many[2_500] = { LastName: '', AccountId: id as string }; // fails, and is reported in its place
    const bulkSaved = await conn.sobject('Contact').createMany(many); // above 2,000 records: a bulk job
    const bulkFailed = bulkSaved.flatMap((r, i) => (r.success ? [] : [i]));
    const bulkCreated = bulkSaved.length - bulkFailed.length;
    log(
      `createMany: ${bulkCreated} of ${BULK_CONTACTS} contacts created by one Bulk API 2.0 job; row ${bulkFailed[0]} failed (${bulkSaved[bulkFailed[0] ?? 0]?.errors[0]?.statusCode}), same result shape as Collections`,
    );
    let bulkRows = 0;
    for await (const _contact of conn.bulk.query('SELECT Id, LastName FROM Contact')) bulkRows++;
    log(`bulk query streamed back ${bulkRows} contacts (CSV pages parsed as they arrive)`);

    step('Composite: an account and its contact in one round trip, the second referring to the first');
    const newAccount = reference('newAccount');
    const composite = await conn.composite(
      {
        newAccount: subrequest.create('Account', { Name: 'Composite Corp' }),
        newContact: subrequest.create('Contact', { LastName: 'Referenced', AccountId: newAccount.id }),
      },
      { allOrNone: true },
    );
    log(composite.compositeResponse.map((r) => `${r.referenceId}: HTTP ${r.httpStatusCode}`).join(', '));

    step('SOSL search with the input escaped');
    const term = 'AT&T (Demo)';
    const found = await conn.search({ find: term, returning: [from('Account').select(['Id', 'Name'])] });
    log(`FIND {${escapeSosl(term)}} found: ${found.searchRecords.map((r) => r.Name).join(', ')}`);

    step('Apex REST');
    org.apexRoute('GET', '/demo/greeting/:name', (req) => ({
      body: { message: `Hello, ${req.params.name}!` },
    }));
    log(JSON.stringify(await conn.apex.get('/demo/greeting/forcekit')));

    step('Streaming API: a PushTopic, and an event for each matching change');
    await conn.streaming.createPushTopic({
      name: 'DemoEnergyAccounts',
      query: "SELECT Id, Name FROM Account WHERE Industry = 'Energy'",
    });
    const events: string[] = [];
    let bothArrived: () => void = () => undefined;
    const arrived = new Promise<void>((resolve) => {
      bothArrived = resolve;
    });
    const subscription = conn
      .topic<PushTopicEvent<{ Id: string; Name: string }>>('DemoEnergyAccounts')
      .subscribe((event) => {
        events.push(event.sobject.Name);
        log(`  event #${event.event.replayId}: ${event.event.type} ${event.sobject.Name}`);
        if (events.length === 2) bothArrived();
      });
    await subscription.ready();
    await accounts.createMany([
      { Name: 'Tidal Power', Industry: 'Energy' },
      { Name: 'Corner Shop', Industry: 'Retail' },
      { Name: 'Geo Heat', Industry: 'Energy' },
    ]);
    await withTimeout(arrived, 10_000, 'the PushTopic events');
    await subscription.unsubscribe();
    log(`${events.length} events for 3 new accounts: the Retail one matches no topic`);

    step('Resilience: the org answers 503 twice; reads are retried with backoff');
    org.faults.error({ method: 'GET', path: '/services/data/*/query', status: 503, times: 2 });
    const count = await accounts.count({ Industry: 'Retail' });
    log(`count of Retail accounts still arrived: ${count}`);

    step('Limits');
    const limits = await conn.limits();
    const daily = limits.DailyApiRequests;
    const apiRequests = (daily?.Max ?? 0) - (daily?.Remaining ?? 0);
    log(`DailyApiRequests: ${apiRequests} used of ${daily?.Max}`);

    step('Many users, one connection: a session per call, refreshed when it expires');
    const web = createConnection<Schema>({
      mode: 'multi',
      loginUrl: c.loginUrl,
      clientId: c.clientId,
      clientSecret: c.clientSecret,
      redirectUri: c.redirectUri,
    });
    let refreshes = 0;
    try {
      const analyst = org.createUser({ username: 'analyst@demo.forcekit.dev' });
      const sessions = [];
      for (const user of [c.username, analyst.username]) {
        const pending = web.authorizeUrl({ scope: ['api', 'refresh_token'], loginHint: user });
        const approved = await fetch(pending.url, { redirect: 'manual' });
        sessions.push(await web.completeAuthorization(pending, approved.headers.get('location') as string));
      }
      for (const session of sessions)
        log(`  as(${session.userId}): ${(await web.as(session).identity()).username}`);
      web.on('refresh', (event: RefreshEvent) => {
        refreshes++;
        log(`  'refresh' event: store the new session for user ${event.session.userId}`);
      });
      // Every session of the org ends now (the demo's own password session too: it has no refresh token).
      org.expireSessions();
      const view = web.as(sessions[1] as (typeof sessions)[number]);
      await Promise.all([view.limits(), view.limits(), view.limits()]);
      log(`three concurrent calls on an expired session: ${refreshes} refresh`);
    } finally {
      await web.close();
    }

    log('\nDone.');
    return {
      streamed,
      contactsCreated: saved.length - failures.length,
      bulkCreated,
      streamingEvents: events.length,
      refreshes,
      apiRequests,
    };
  } finally {
    await conn.close();
    await emulator.stop();
  }
}

if (isMain(import.meta.url)) {
  await runDemo((line) => console.log(line));
}
