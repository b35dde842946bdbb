import type { Scenario } from '../scenario.js';
import { soqlCompile } from './soql-compile.js';

/** Every scenario `run.ts` knows, in the order they run. Add new ones (query paging, CRUD, bulk, streaming) here. */
export const scenarios: readonly Scenario[] = [soqlCompile];
