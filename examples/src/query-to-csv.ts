/**
 * Stream a query to a CSV file: pages are fetched as the file is written (with backpressure), so a
 * million rows take the memory of one page.
 *
 *   pnpm --filter forcekit-examples query-to-csv [out.csv]
 */
import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Org } from '@forcekit/emulator';
import { type ExampleOrg, isMain, type Log, runAsProgram } from './org.js';

/** Emulator data: enough accounts for several pages. */
export function seed(org: Org): void {
  org.generate('Account', 5_000);
}

export interface CsvSummary {
  readonly file: string;
  readonly rows: number;
  readonly bytes: number;
}

export async function run(
  { conn }: ExampleOrg,
  log: Log,
  file = join(tmpdir(), 'forcekit-accounts.csv'),
): Promise<CsvSummary> {
  const accounts = conn.sobject('Account');
  const soql = accounts.select(['Id', 'Name', 'Industry', 'AnnualRevenue']).sort('Name').toSOQL();
  // toCSV() is a Node Readable: pipeline() moves it to the file at the pace the disk takes it.
  await pipeline(conn.query(soql).toCSV(), createWriteStream(file));
  const { size } = await stat(file);
  const rows = await accounts.count();
  log(`wrote ${rows} rows (${size} bytes) to ${file}`);
  return { file, rows, bytes: size };
}

if (isMain(import.meta.url)) await runAsProgram((org, log) => run(org, log, process.argv[2]), seed);
