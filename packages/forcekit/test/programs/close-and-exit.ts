/**
 * Run by test/close.test.ts in its own process: uses streaming and bulk through one connection, closes
 * it, and then must exit by itself (nothing calls process.exit). It prints what it saw, one fact a line.
 */
import { createConnection, type PushTopicEvent } from 'forcekit';

const instanceUrl = process.env.FORCEKIT_TEST_URL;
const accessToken = process.env.FORCEKIT_TEST_TOKEN;
if (instanceUrl === undefined || accessToken === undefined) {
  throw new Error('FORCEKIT_TEST_URL and FORCEKIT_TEST_TOKEN must be set');
}
const say = (line: string) => process.stdout.write(`${line}\n`);
const windowType = () => typeof (globalThis as { window?: unknown }).window;

say(`window at start: ${windowType()}`);
const conn = createConnection({ instanceUrl, accessToken, bulk: { pollInterval: 20 } });
const { streaming, bulk } = conn;
say(`window after conn.streaming and conn.bulk: ${windowType()}`);

await streaming.createPushTopic({ name: 'ExitCheck', query: 'SELECT Id, Name FROM Account' });
let subscription: ReturnType<ReturnType<typeof conn.topic>['subscribe']> | undefined;
const received = new Promise<PushTopicEvent>((resolve) => {
  subscription = conn.topic('ExitCheck').subscribe(resolve);
});
await subscription?.ready();
say(`window after subscribe: ${windowType()}`);
await conn.sobject('Account').create({ Name: 'Exit Co' });
say(`event: ${(await received).sobject.Name}`);

const saved = await conn
  .sobject('Account')
  .createMany([{ Name: 'B1' }, { Name: 'B2' }], { bulkThreshold: 0 });
let rows = 0;
for await (const _row of bulk.query('SELECT Id FROM Account')) rows++;
say(`bulk: saved ${saved.filter((r) => r.success).length}, queried ${rows}`);

await conn.close();
say(`closed; subscription closed: ${subscription?.closed}`);
