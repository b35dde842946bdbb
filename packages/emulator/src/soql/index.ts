/**
 * The emulator's SOQL and SOSL engine: pure functions over `OrgData`, no HTTP. The REST routes for
 * query, queryAll, query locators and search sit on top of it.
 *
 * ```ts
 * const result = executeSoql('SELECT Id, Name FROM Account ORDER BY Name', org.data, {
 *   includeDeleted: false, // true for queryAll
 *   apiVersion: '62.0',
 * });
 * result.totalSize;                        // rows matched (the count for SELECT COUNT())
 * result.page(0, 2000, { childLocator });  // REST records of the first page
 * ```
 *
 * Evaluation (filter, sort, OFFSET, LIMIT) happens once inside `executeSoql`; `page()` and `rows()`
 * only slice and render. Errors are `SoqlError`s carrying Salesforce's `errorCode` and wording.
 *
 * Documented simplifications: the running user is in UTC (relative date literals, date functions),
 * weeks start on Sunday (en_US), the fiscal year is the calendar year, there is one currency and
 * picklist labels equal their values (so `toLabel()`, `FORMAT()` and `convertCurrency()` return the
 * stored value), GROUP BY ROLLUP/CUBE are not supported, and SOSL has no relevance ranking: results
 * come in RETURNING order, each object's rows in ORDER BY or stored order.
 */
export { SoqlError } from './errors.js';
export { executeSoql } from './execute.js';
export type { SoqlOptions } from './options.js';
export { parseSoqlText } from './parse.js';
export type { QueryResultSet, RenderContext } from './result-set.js';
export { executeSosl } from './sosl.js';
