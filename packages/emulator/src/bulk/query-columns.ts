import type { Query, FieldType as SelectedField } from '@jetstreamapp/soql-parser-js';
import type { FieldType, OrgData } from '../schema/types.js';
import {
  executeSoql,
  parseSoqlText,
  type QueryResultSet,
  SoqlError,
  type SoqlOptions,
} from '../soql/index.js';
import { type CsvDialect, LINE_ENDINGS } from './csv.js';

/**
 * What the bulk query APIs need to know about a SOQL statement beyond what the engine evaluates: the
 * object it reads, the type of each selected column (datetimes are written `…Z` in CSV) and the
 * constructs bulk queries refuse (compound fields, child subqueries, aggregates).
 */

/** What the Bulk APIs refuse in a query that REST answers. */
export type Unsupported = 'subquery' | 'aggregate' | 'compound';

export interface BulkQueryShape {
  /** The object named in FROM, as the query wrote it. */
  readonly object: string;
  /** What of it Salesforce refuses in the Bulk API, or undefined. */
  readonly unsupported: 'subquery' | 'aggregate' | undefined;
}

/** Reads the FROM object and what the Bulk API does not support; undefined when the SOQL does not parse. */
export function bulkQueryShape(soql: string): BulkQueryShape | undefined {
  let parsed: Query;
  try {
    parsed = parseSoqlText(soql);
  } catch {
    return undefined;
  }
  const fields: readonly SelectedField[] = parsed.fields ?? [];
  let unsupported: BulkQueryShape['unsupported'];
  if (fields.some((f) => f.type === 'FieldSubquery')) {
    unsupported = 'subquery';
  } else if (
    parsed.groupBy !== undefined ||
    fields.some((f) => f.type === 'FieldFunctionExpression' && f.isAggregateFn === true) ||
    fields.some((f) => f.type === 'FieldFunctionExpression' && f.functionName.toUpperCase() === 'COUNT')
  ) {
    unsupported = 'aggregate';
  }
  return { object: parsed.sObject ?? '', unsupported };
}

/** A query both Bulk APIs can run: evaluated once, with its FROM object and column types. */
export interface PreparedQuery {
  /** The FROM object's canonical name. */
  readonly object: string;
  readonly result: QueryResultSet;
  readonly types: readonly (FieldType | undefined)[];
}

/** Why a bulk query cannot run: the SOQL engine's error, or what the Bulk APIs refuse. */
export type QueryRefusal =
  | { readonly kind: 'soql'; readonly error: SoqlError }
  | { readonly kind: Unsupported };

/**
 * Evaluates a bulk query once (both APIs snapshot their rows when the query is accepted), or says
 * why it cannot run: a SOQL error first, then what both Bulk APIs refuse (child subqueries,
 * aggregates, compound fields). Each API words the refusal its own way.
 */
export function prepareBulkQuery(
  soql: string,
  data: OrgData,
  options: SoqlOptions,
): PreparedQuery | QueryRefusal {
  let result: QueryResultSet;
  try {
    result = executeSoql(soql, data, options);
  } catch (error) {
    if (error instanceof SoqlError) return { kind: 'soql', error };
    throw error;
  }
  const shape = bulkQueryShape(soql);
  if (shape?.unsupported !== undefined) return { kind: shape.unsupported };
  const object = data.object(shape?.object ?? '')?.name ?? shape?.object ?? '';
  const types = columnTypes(data, object, result.columns);
  if (types.some(isCompound)) return { kind: 'compound' };
  return { object, result, types };
}

/**
 * The type of each column path (`Name`, `Account.CreatedDate`) starting at `objectName`; undefined for
 * what is not a field (an aggregate alias). Polymorphic hops resolve through their first target.
 */
export function columnTypes(
  data: OrgData,
  objectName: string,
  columns: readonly string[],
): (FieldType | undefined)[] {
  return columns.map((path) => {
    let object = data.object(objectName);
    const hops = path.split('.');
    for (let i = 0; i < hops.length && object !== undefined; i++) {
      const hop = (hops[i] as string).toLowerCase();
      if (i === hops.length - 1) return object.fields.find((f) => f.name.toLowerCase() === hop)?.type;
      const reference = object.fields.find(
        (f) => f.type === 'reference' && f.relationshipName?.toLowerCase() === hop,
      );
      const target = reference?.referenceTo[0];
      object = target === undefined ? undefined : data.object(target);
    }
    return undefined;
  });
}

/** True for the compound types the Bulk API cannot select. */
export function isCompound(type: FieldType | undefined): boolean {
  return type === 'address' || type === 'location';
}

/**
 * A stored wire value as bulk query CSV writes it: null as empty, datetimes in `…Z` form
 * (`2011-07-07T00:37:00.000Z`), everything else as text.
 */
export function bulkCsvValue(value: unknown, type: FieldType | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') {
    return type === 'datetime' && value.endsWith('+0000') ? `${value.slice(0, -5)}Z` : value;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** Query rows as fully quoted CSV lines: one string per piece, no per-value arrays. */
export function csvRows(
  rows: readonly (readonly unknown[])[],
  types: readonly (FieldType | undefined)[],
  dialect: CsvDialect,
): string {
  const d = dialect.delimiter;
  const eol = LINE_ENDINGS[dialect.lineEnding];
  let out = '';
  for (const row of rows) {
    for (let c = 0; c < row.length; c++) {
      const text = bulkCsvValue(row[c], types[c]);
      out += c === 0 ? '"' : `${d}"`;
      out += text.includes('"') ? text.replaceAll('"', '""') : text;
      out += '"';
    }
    out += eol;
  }
  return out;
}
