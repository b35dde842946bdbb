import { childEntries } from '../build.js';
import type { ResetDone } from '../child/protocol.js';
import { startServer } from '../children.js';
import { compareClients } from '../compare.js';
import type { MeasureOptions, Scenario, ScenarioResult } from '../scenario.js';

const TIMING: Record<MeasureOptions['mode'], { warmupMs: number; durationMs: number }> = {
  smoke: { warmupMs: 50, durationMs: 200 },
  quick: { warmupMs: 300, durationMs: 1000 },
  full: { warmupMs: 1500, durationMs: 5000 },
};

function crud(concurrency: number): Scenario {
  return {
    name: `crud-c${concurrency}`,
    description: `Single-record create, retrieve, update round trips against the emulator, ${concurrency} at a time: requests/s`,
    async run(options: MeasureOptions): Promise<ScenarioResult> {
      const entries = await childEntries();
      const emulator = await startServer(entries.emulatorServer, [], 'emulator');
      try {
        const comparison = await compareClients({
          scenario: `crud-c${concurrency}`,
          worker: entries.worker,
          target: emulator.target,
          job: { task: 'crud', concurrency, ...TIMING[options.mode] },
          options,
          beforeRun: async () => {
            await emulator.ask<ResetDone>({ type: 'reset' });
          },
        });
        return {
          contenders: comparison.contenders,
          unit: 'requests',
          baseline: 'raw-undici',
          notes: [
            `${concurrency} loop(s) at once, each: POST sobjects/Account (11 fields), GET sobjects/Account/{id}, PATCH sobjects/Account/{id} (2 fields); ${TIMING[options.mode].durationMs} ms timed after ${TIMING[options.mode].warmupMs} ms of warm-up.`,
            'The emulator runs in its own process and does most of the work per request, so these figures say more about client overhead differences than about absolute speed.',
            'forcekit runs with maxConcurrency 16 (default 10) so the 16-at-a-time loops are not queued; jsforce and raw undici have no such limit.',
            ...comparison.notes,
          ],
        };
      } finally {
        await emulator.stop();
      }
    },
  };
}

export const crudC1 = crud(1);
export const crudC16 = crud(16);
