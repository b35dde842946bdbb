/**
 * Bulk API 2.0 through `conn.bulk`: load a CSV file, read the outcome of every row (which row failed,
 * and why), then export a bulk query to a CSV file, streamed page by page. Deletes what it loaded.
 *
 *   pnpm --filter forcekit-examples bulk-load [accounts.csv] [export.csv]
 *
 * Without a file it writes a sample of 1,000 accounts, every 250th without the Name Salesforce requires.
 * Your own CSV needs a header of Account field names (`Name,Phone,Industry`).
 */
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ExampleOrg, isMain, type Log, runAsProgram } from './org.js';

/** The Name prefix of the sample's accounts: what the export selects and the clean-up deletes. */
export const SAMPLE_PREFIX = 'forcekit bulk example';

/** Writes the sample CSV: `rows` accounts; every 250th has an empty Name, which Salesforce refuses. */
export async function writeSampleCsv(file: string, rows = 1_000): Promise<string> {
  const lines = ['Name,Phone,Industry'];
  for (let i = 1; i <= rows; i++) {
    // A comma in a value is quoted, as RFC 4180 (and Salesforce) want it.
    const name = i % 250 === 0 ? '' : `"${SAMPLE_PREFIX} ${String(i).padStart(4, '0')}, Inc."`;
    lines.push(`${name},555-${String(i).padStart(4, '0')},${i % 2 === 0 ? 'Energy' : 'Retail'}`);
  }
  await writeFile(file, `${lines.join('\n')}\n`);
  return file;
}

export interface BulkLoadSummary {
  readonly loaded: number;
  readonly failed: readonly { readonly row: number; readonly code: string }[];
  readonly exported: number;
  readonly exportFile: string;
  readonly deleted: number;
}

export async function run(
  { conn }: ExampleOrg,
  log: Log,
  input?: string,
  exportFile = join(tmpdir(), 'forcekit-bulk-export.csv'),
): Promise<BulkLoadSummary> {
  const csvFile = input ?? (await writeSampleCsv(join(tmpdir(), 'forcekit-bulk-accounts.csv')));

  // The file is streamed up (never read whole), split over several jobs if it is over the upload limit.
  let reported = false;
  const result = await conn.bulk.load(
    'Account',
    'insert',
    { csvFile },
    {
      onProgress: ({ jobIds, rowsUploaded, bytesUploaded, uploadComplete }) => {
        if (uploadComplete && !reported) {
          reported = true;
          log(
            `uploaded ${rowsUploaded} rows (${bytesUploaded} bytes) in ${jobIds.length} job(s); processing…`,
          );
        }
      },
    },
  );
  const { summary } = result;
  log(
    `${summary.total} rows: ${summary.succeeded} created, ${summary.failed} failed, ${summary.unprocessed} unprocessed`,
  );

  // Every input row comes back exactly once, in input order: rows[i] is line i + 2 of the file.
  const failed: { row: number; code: string }[] = [];
  for (const row of result.rows) {
    if (row.status === 'failure') {
      failed.push({ row: row.index + 1, code: row.error.code });
      log(`  row ${row.index + 1}: ${row.error.code} ${row.error.message} (${row.error.fields.join(', ')})`);
    } else if (row.status === 'unprocessed') {
      log(`  row ${row.index + 1}: not processed (${row.reason})`);
    }
  }

  // A bulk query of what was loaded, written to a CSV file as Salesforce sends it, page after page.
  const loadedAccounts = conn
    .sobject('Account')
    .find({ Name: { $like: `${SAMPLE_PREFIX}%` } }, ['Id', 'Name', 'Phone', 'Industry'])
    .sort('Name');
  const exported = await conn.bulk.query(loadedAccounts).toCSV(exportFile);
  log(`bulk query exported ${exported.rows} rows (${exported.bytes} bytes) to ${exportFile}`);

  // Clean up: deleteMany picks sObject Collections or Bulk API 2.0 by the number of ids.
  const ids = result.successes.map((success) => success.id);
  const deleted = await conn.sobject('Account').deleteMany(ids);
  log(`deleted ${deleted.filter((r) => r.success).length} accounts again`);

  return {
    loaded: summary.succeeded,
    failed,
    exported: exported.rows,
    exportFile,
    deleted: deleted.filter((r) => r.success).length,
  };
}

if (isMain(import.meta.url)) {
  await runAsProgram((org, log) => run(org, log, process.argv[2], process.argv[3]));
}
