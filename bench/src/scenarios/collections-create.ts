import { childEntries } from '../build.js';
import type { ResetDone } from '../child/protocol.js';
import { startServer } from '../children.js';
import { compareClients } from '../compare.js';
import type { MeasureOptions, Scenario, ScenarioResult } from '../scenario.js';

const RECORDS = 20_000;
const SMOKE_RECORDS = 400;

export const collectionsCreate: Scenario = {
  name: 'collections-create',
  description: `Create ${RECORDS.toLocaleString('en-US')} Accounts through sObject Collections against the emulator: records/s`,
  async run(options: MeasureOptions): Promise<ScenarioResult> {
    const count = options.mode === 'smoke' ? SMOKE_RECORDS : RECORDS;
    const entries = await childEntries();
    const emulator = await startServer(entries.emulatorServer, [], 'emulator');
    try {
      const comparison = await compareClients({
        scenario: 'collections-create',
        worker: entries.worker,
        target: emulator.target,
        job: { task: 'collections-create', count },
        options,
        beforeRun: async () => {
          await emulator.ask<ResetDone>({ type: 'reset' });
        },
      });
      return {
        contenders: comparison.contenders,
        unit: 'records',
        baseline: 'raw-undici',
        notes: [
          `${count.toLocaleString('en-US')} records of 11 fields, POST composite/sobjects 200 a request, into an emptied org each run.`,
          'forcekit: `conn.sobject(type).create(records)` (4 requests in flight, its default); raw undici: 4 in flight too; jsforce: `create(records, { allowRecursive: true })`, one request after another.',
          'The emulator (its own process) does most of the work: the figures bound what a client can add, not what Salesforce would do.',
          ...comparison.notes,
        ],
      };
    } finally {
      await emulator.stop();
    }
  },
};
