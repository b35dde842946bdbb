import type { OrgData } from '../schema/types.js';
import { Engine } from './context.js';
import type { SoqlOptions } from './options.js';
import { parseSoql } from './parse.js';
import { runQuery } from './query.js';
import type { QueryResultSet } from './result-set.js';
import { SourceText } from './source.js';

/**
 * Parses and evaluates a SOQL query against the org's data. Evaluation (filter, sort, OFFSET, LIMIT)
 * happens here, once; the returned set only slices and renders pages. Throws `SoqlError` with
 * Salesforce's error code and wording.
 */
export function executeSoql(soql: string, data: OrgData, options: SoqlOptions): QueryResultSet {
  const src = new SourceText(soql);
  const query = parseSoql(src);
  return runQuery(new Engine(data, options, src), query, 0);
}
