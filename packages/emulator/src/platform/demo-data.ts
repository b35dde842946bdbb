import type { Org } from '../org.js';

/** What `seedDemoData` added, for the CLI banner. */
export interface DemoDataSummary {
  readonly users: number;
  readonly records: Readonly<Record<string, number>>;
}

/** Parents before children, so generated lookups point at existing records. */
const DEMO_RECORDS: ReadonlyArray<readonly [string, number]> = [
  ['Account', 25],
  ['Contact', 60],
  ['Opportunity', 30],
  ['Lead', 20],
  ['Case', 15],
];

/** Demo content for the CLI: a second user for multi-user flows, and related sales and service records. */
export function seedDemoData(org: Org): DemoDataSummary {
  org.createUser({ username: 'analyst@emulator.forcekit.dev', firstName: 'Ana', lastName: 'Lyst' });
  const records: Record<string, number> = {};
  for (const [objectName, count] of DEMO_RECORDS) {
    records[objectName] = org.generate(objectName, count).length;
  }
  return { users: 1, records };
}
