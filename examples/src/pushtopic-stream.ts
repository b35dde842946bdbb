/**
 * The Streaming API through the connection: create a PushTopic, subscribe with a callback
 * (`conn.topic(name).subscribe(fn)`), change some records, print the events as they arrive, clean up
 * and exit (`conn.close()` ends the subscription and its long poll).
 *
 *   pnpm --filter forcekit-examples pushtopic-stream
 *
 * Against your org the user needs the "Streaming API" and "API Enabled" permissions; the example
 * replaces a PushTopic of the same name left by an earlier run.
 */
import type { PushTopicEvent } from 'forcekit';
import { type ExampleOrg, isMain, type Log, runAsProgram } from './org.js';

/** The PushTopic: Energy accounts (at most 25 characters, letters, digits and underscores). */
export const TOPIC = 'ForcekitEnergyAccounts';

type AccountEvent = PushTopicEvent<{ Id: string; Name?: string; Industry?: string | null }>;

export interface StreamSummary {
  /** `type name` of each event, in the order they arrived. */
  readonly events: readonly string[];
}

export async function run({ conn }: ExampleOrg, log: Log, timeoutMs = 30_000): Promise<StreamSummary> {
  if (await conn.streaming.deletePushTopic(TOPIC)) log(`deleted the ${TOPIC} PushTopic of an earlier run`);
  const topic = await conn.streaming.createPushTopic({
    name: TOPIC,
    query: "SELECT Id, Name, Industry FROM Account WHERE Industry = 'Energy'",
  });
  log(`created PushTopic ${TOPIC} (${topic.id})`);

  // Four events are coming: two creates, an update and a delete (the Retail account matches nothing).
  const expected = 4;
  const events: string[] = [];
  let allArrived: () => void = () => undefined;
  const arrived = new Promise<void>((resolve) => {
    allArrived = resolve;
  });
  const subscription = conn.topic<AccountEvent>(TOPIC).subscribe((event) => {
    // A deleted record's notification carries only its Id.
    const what = event.sobject.Name ?? event.sobject.Id;
    log(`  event #${event.event.replayId}: ${event.event.type} ${what}`);
    events.push(`${event.event.type} ${what}`);
    if (events.length === expected) allArrived();
  });
  subscription.on('error', (error) => log(`  subscription ended: ${error.code} ${error.message}`));
  await subscription.ready();
  log(`subscribed to ${subscription.channel}`);

  const accounts = conn.sobject('Account');
  const created = await accounts.createMany([
    { Name: 'Solar One', Industry: 'Energy' },
    { Name: 'Wind Two', Industry: 'Energy' },
    { Name: 'Corner Shop', Industry: 'Retail' },
  ]);
  const [solar, wind] = created.map((result) => result.id as string);
  await accounts.update({ Id: solar as string, Name: 'Solar One Renamed' });
  await accounts.destroy(wind as string);
  log('created three accounts, renamed one, deleted one');

  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), timeoutMs);
  });
  const late = await Promise.race([arrived.then(() => false), timedOut]);
  clearTimeout(timer);
  if (late) log(`only ${events.length} of ${expected} events arrived within ${timeoutMs} ms`);

  await subscription.unsubscribe();
  await accounts.destroy(created.flatMap((r) => (r.success && r.id !== wind ? [r.id as string] : [])));
  await conn.streaming.deletePushTopic(TOPIC);
  log('removed the accounts and the PushTopic');
  return { events };
}

if (isMain(import.meta.url)) await runAsProgram((org, log) => run(org, log));
