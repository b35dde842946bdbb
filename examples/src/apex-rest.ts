/**
 * Call your org's Apex REST classes. Against a real org, deploy this class first:
 *
 * ```apex
 * @RestResource(urlMapping='/forcekit/accounts/*')
 * global with sharing class ForcekitAccounts {
 *   @HttpGet global static Map<String, Object> show() {
 *     String name = RestContext.request.requestURI.substringAfterLast('/');
 *     return new Map<String, Object>{ 'name' => name, 'count' => [SELECT COUNT() FROM Account WHERE Name = :name] };
 *   }
 *   @HttpPost global static Id create(String name, String industry) {
 *     Account a = new Account(Name = name, Industry = industry);
 *     insert a;
 *     return a.Id;
 *   }
 * }
 * ```
 *
 * Against the emulator, the same two methods are stood in for with `org.apexRoute()`.
 *
 *   pnpm --filter forcekit-examples apex-rest
 */
import type { Org } from '@forcekit/emulator';
import { type ExampleOrg, isMain, type Log, runAsProgram } from './org.js';

/** The emulator's stand-in for `ForcekitAccounts`. */
export function seed(org: Org): void {
  org.apexRoute('GET', '/forcekit/accounts/:name', (req) => ({
    body: {
      name: req.params.name,
      count: org.records('Account').filter((a) => a.Name === req.params.name).length,
    },
  }));
  org.apexRoute('POST', '/forcekit/accounts', (req) => {
    const { name, industry } = req.body as { name: string; industry: string };
    const [account] = org.insert('Account', [{ Name: name, Industry: industry }]);
    return { body: account?.Id };
  });
}

export interface ApexSummary {
  readonly createdId: string;
  readonly count: number;
}

export async function run({ conn }: ExampleOrg, log: Log): Promise<ApexSummary> {
  const name = `Apex ${Date.now().toString(36)}`;
  // POST: Apex deserializes the JSON body into the method's parameters.
  const createdId = await conn.apex.post<string>('/forcekit/accounts', { name, industry: 'Energy' });
  log(`ForcekitAccounts.create returned ${createdId}`);
  // GET with a path segment: escape values you put in a path with encodeURIComponent (or apiPath).
  const shown = await conn.apex.get<{ name: string; count: number }>(
    `/forcekit/accounts/${encodeURIComponent(name)}`,
  );
  log(`ForcekitAccounts.show says ${shown.count} account(s) named ${shown.name}`);
  await conn.sobject('Account').destroy(createdId);
  return { createdId, count: shown.count };
}

if (isMain(import.meta.url)) await runAsProgram(run, seed);
