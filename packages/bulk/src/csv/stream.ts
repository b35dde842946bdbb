import { CsvError } from '../errors.js';
import { CsvDecoder } from './decoder.js';
import type { CsvDialect } from './dialect.js';

/** Text or bytes (UTF-8), as a file stream, a response body or a generator gives them. */
export type CsvSource = AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>;

/**
 * Decodes a stream of CSV text or UTF-8 bytes, yielding the rows each piece completed (a batch per
 * piece, never the whole file). Multi-byte characters split across pieces are joined correctly.
 */
export async function* decodeCsvStream(
  source: CsvSource,
  dialect: CsvDialect = {},
): AsyncGenerator<string[][]> {
  const decoder = new CsvDecoder(dialect);
  const text = new TextDecoder('utf-8');
  for await (const piece of source) {
    const rows = decoder.write(typeof piece === 'string' ? piece : text.decode(piece, { stream: true }));
    if (rows.length > 0) yield rows;
  }
  const tail = decoder.write(text.decode());
  const last = decoder.end();
  if (tail.length > 0 || last.length > 0) yield [...tail, ...last];
}

/**
 * Decodes CSV with a header row into records keyed by the header's names, one per row (see
 * `decodeCsvStream`). A row with more fields than the header is a `CsvError`; missing fields are
 * left out of the record.
 */
export async function* csvRecords(
  source: CsvSource,
  dialect: CsvDialect = {},
): AsyncGenerator<Record<string, string>> {
  let header: string[] | undefined;
  let decoded = 0;
  for await (const rows of decodeCsvStream(source, dialect)) {
    for (const row of rows) {
      decoded++;
      if (header === undefined) {
        header = row;
        continue;
      }
      if (row.length > header.length) {
        throw new CsvError(
          `CSV row ${decoded}: ${row.length} fields under a header of ${header.length}`,
          decoded,
        );
      }
      const record: Record<string, string> = {};
      const count = Math.min(row.length, header.length);
      for (let i = 0; i < count; i++) record[header[i] as string] = row[i] as string;
      yield record;
    }
  }
}
