import { childEntries } from '../build.js';
import { startServer } from '../children.js';
import { compareClients, idleMemoryNote } from '../compare.js';
import { ACCOUNT_SOQL } from '../fixture/accounts.js';
import type { MeasureOptions, Scenario, ScenarioResult } from '../scenario.js';

const PAGE_SIZE = 2000;
const RECORDS = 200_000;
const SMOKE_RECORDS = 10_000;

const MODES = {
  stream: [
    'streaming, nothing kept: forcekit `for await (const r of conn.query(soql))`; jsforce',
    "`query.on('record', ...).run({ autoFetch: true })`; raw undici reads page by page.",
  ].join(' '),
  collect: [
    'collecting all records into one array: forcekit `conn.query(soql).execute({ autoFetch: true,',
    'maxFetch: Infinity })`; jsforce `await query.run({ autoFetch: true, maxFetch })`; raw undici pushes',
    'each page into an array.',
  ].join(' '),
};

function queryPaging(name: string, mode: 'stream' | 'collect', gzip: boolean): Scenario {
  return {
    name,
    // The gzip run adds a minute; quick runs keep to the headline scenarios.
    fullOnly: gzip,
    description: `Page ${RECORDS.toLocaleString('en-US')} Account records (${PAGE_SIZE} a page${gzip ? ', gzip' : ''}), ${mode === 'stream' ? 'streaming' : 'collecting'}: records/s and peak RSS`,
    async run(options: MeasureOptions): Promise<ScenarioResult> {
      const records = options.mode === 'smoke' ? SMOKE_RECORDS : RECORDS;
      const entries = await childEntries();
      const server = await startServer(
        entries.queryServer,
        [JSON.stringify({ totalSize: records, pageSize: PAGE_SIZE, gzip })],
        'fixture server',
      );
      try {
        const comparison = await compareClients({
          scenario: name,
          worker: entries.worker,
          target: server.target,
          job: { task: 'query', mode, soql: ACCOUNT_SOQL, expected: records },
          options,
        });
        return {
          contenders: comparison.contenders,
          unit: 'records',
          baseline: 'raw-undici',
          notes: [
            `${records.toLocaleString('en-US')} records in ${records / PAGE_SIZE} pages of ${PAGE_SIZE} (about 1.06 MB of JSON each${gzip ? ', sent gzipped to clients that accept gzip' : ', uncompressed'}) from a fixture server in its own process that writes pre-serialised pages.`,
            MODES[mode],
            'Every client reads Id and AnnualRevenue of every record. Each run is a fresh process; RSS is that process peak (maxRSS).',
            ...comparison.notes,
            await idleMemoryNote(entries.worker, server.target, options),
          ],
        };
      } finally {
        await server.stop();
      }
    },
  };
}

export const queryStream = queryPaging('query-stream', 'stream', false);
export const queryCollect = queryPaging('query-collect', 'collect', false);
export const queryStreamGzip = queryPaging('query-stream-gzip', 'stream', true);
