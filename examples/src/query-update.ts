/**
 * Query, then update what came back: tracked records one by one, and a whole query at once
 * (`query.update()`, sent through sObject Collections 200 records a request).
 *
 *   pnpm --filter forcekit-examples query-update
 */
import type { Org } from '@forcekit/emulator';
import { type ExampleOrg, isMain, type Log, runAsProgram } from './org.js';

/** Emulator data: accounts in two industries. */
export function seed(org: Org): void {
  org.generate('Account', 300, {
    Industry: (i: number) => (i % 3 === 0 ? 'Energy' : 'Retail'),
    AnnualRevenue: 1_000_000,
  });
}

export interface QueryUpdateSummary {
  readonly energy: number;
  readonly raised: number;
  readonly rated: number;
}

export async function run({ conn }: ExampleOrg, log: Log): Promise<QueryUpdateSummary> {
  const accounts = conn.sobject('Account');

  // A typed query: fields and values are checked against the generated schema (schema.ts).
  const { records: energy } = await accounts
    .find({ Industry: 'Energy', AnnualRevenue: { $gte: 1_000_000 } }, ['Id', 'Name', 'AnnualRevenue'])
    .sort('Name')
    .limit(5)
    .execute();
  log(`first ${energy.length} Energy accounts: ${energy.map((a) => a.Name).join(', ')}`);

  // Tracked records: assign, then save only the changed field.
  for (const account of energy) account.AnnualRevenue = (account.AnnualRevenue ?? 0) * 1.1;
  const saved = await accounts.update(energy);
  log(`raised revenue on ${saved.filter((r) => r.success).length} accounts`);

  // A bulk edit over a whole query: every matching record, in 200-record requests.
  const soql = accounts.find({ Industry: 'Energy' }, ['Id', 'Rating']).toSOQL();
  const results = await conn.query(soql).update({ Rating: 'Hot' });
  log(`query.update() rated ${results.filter((r) => r.success).length} Energy accounts Hot`);

  const reviewed = await accounts.count({ Industry: 'Energy', Rating: 'Hot' });
  return { energy: energy.length, raised: saved.filter((r) => r.success).length, rated: reviewed };
}

if (isMain(import.meta.url)) await runAsProgram(run, seed);
