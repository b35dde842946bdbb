/**
 * The emulator's SOQL and SOSL engine: pure functions over `OrgData`, no HTTP. The REST routes for
 * query, queryAll, query locators and search sit on top of it.
 */
export { SoqlError } from './errors.js';
export { executeSoql } from './execute.js';
export type { SoqlOptions } from './options.js';
export type { QueryResultSet, RenderContext } from './result-set.js';
export { executeSosl } from './sosl.js';
