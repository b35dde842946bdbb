import type { Router } from '../http/router.js';
import type { Org } from '../org.js';
import { resourcesByVersion, versionsList } from './versions.js';

/** The REST discovery resources: versions, resources by version, and `/limits`. */
export function registerPlatformRoutes(router: Router, org: Org): void {
  // Salesforce answers the versions list without a session; clients call it before logging in.
  router.get('/services/data', (ctx) => ctx.sendJson(200, versionsList(org.apiVersion)), { auth: 'none' });

  router.get('/services/data/:version', (ctx) => {
    const auth = ctx.auth;
    if (!auth) throw new Error('authenticated route reached without a session');
    return ctx.sendJson(200, resourcesByVersion(ctx.params.version as string, org.identityUrl(auth.userId)));
  });

  router.get('/services/data/:version/limits', (ctx) => ctx.sendJson(200, org.limits.snapshot()));
}
