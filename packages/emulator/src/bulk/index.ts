import type { Router } from '../http/router.js';
import type { Org } from '../org.js';
import { registerBulkClassicRoutes } from './classic-routes.js';
import { registerBulkV2Routes } from './v2-routes.js';

/**
 * The bulk area: Bulk API 2.0 (`/services/data/vNN.N/jobs/ingest` and `/jobs/query`) and the classic
 * Bulk API (`/services/async/NN.N/job...`), both running their jobs through `org.bulk`.
 */
export function registerBulkRoutes(router: Router, org: Org): void {
  registerBulkV2Routes(router, org);
  registerBulkClassicRoutes(router, org);
}
