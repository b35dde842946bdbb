/**
 * CRUD on one object: create, read, update (only the changed fields), delete, one record and many.
 *
 *   pnpm --filter forcekit-examples crud          # against a local emulator
 *   SF_USERNAME=… SF_PASSWORD=… pnpm --filter forcekit-examples crud   # against your org
 */
import { type ExampleOrg, isMain, type Log, runAsProgram } from './org.js';

export interface CrudSummary {
  readonly createdId: string;
  readonly renamedTo: string;
  readonly bulkCreated: number;
  readonly bulkFailed: number;
  readonly remaining: number;
}

export async function run({ conn }: ExampleOrg, log: Log): Promise<CrudSummary> {
  const accounts = conn.sobject('Account');
  const stamp = Date.now().toString(36);

  // Create one record: failures throw.
  const { id } = await accounts.create({ Name: `forcekit CRUD ${stamp}`, Industry: 'Energy' });
  if (id === undefined) throw new Error('create returned no id');
  log(`created Account ${id}`);

  // Read it back: retrieved records are tracked.
  const account = await accounts.retrieve(id, { fields: ['Id', 'Name', 'Industry'] });
  log(`retrieved ${account.Name} (${account.Industry})`);

  // Assign a field; update() sends only what changed (here: Name).
  account.Name = `forcekit CRUD ${stamp} (renamed)`;
  await accounts.update(account);
  const renamed = await accounts.retrieve(id, { fields: ['Name'] });
  log(`renamed to ${renamed.Name}`);

  // Many records go through sObject Collections: one result per record, failures returned, not thrown.
  const results = await accounts.create([
    { Name: `forcekit bulk ${stamp} 1` },
    { Name: `forcekit bulk ${stamp} 2` },
    { Name: '' }, // Name is required: this one fails
  ]);
  const failed = results.filter((r) => !r.success);
  log(
    `created ${results.length - failed.length} of ${results.length}; failure: ${failed[0]?.errors[0]?.statusCode}`,
  );

  // Delete everything this example made.
  const ids = [id, ...results.flatMap((r) => (r.success && r.id !== undefined ? [r.id] : []))];
  await accounts.destroy(ids);
  const remaining = await accounts.count({ Name: { $like: `forcekit % ${stamp}%` } });
  log(`deleted ${ids.length} records; ${remaining} left`);

  return {
    createdId: id,
    renamedTo: renamed.Name,
    bulkCreated: results.length - failed.length,
    bulkFailed: failed.length,
    remaining,
  };
}

if (isMain(import.meta.url)) await runAsProgram(run);
