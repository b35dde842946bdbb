import type { Router } from '../http/router.js';
import type { Org } from '../org.js';
import { handleAuthorize } from './authorize.js';
import { handleIdentity, handleUserInfo } from './identity.js';
import { handleRevoke } from './revoke.js';
import { handleSoap } from './soap.js';
import { handleToken } from './token-endpoint.js';

/**
 * The login host's endpoints: OAuth 2.0 (token, authorize, revoke, userinfo), the identity URL and the
 * SOAP `login`/`logout`. None takes the pipeline's session check: each verifies its own credentials
 * and answers in its own error format.
 */
export function registerAuthRoutes(router: Router, org: Org): void {
  const none = { auth: 'none' } as const;
  router.add(['GET', 'POST'], '/services/oauth2/token', (ctx) => handleToken(ctx, org), none);
  router.add(['GET', 'POST'], '/services/oauth2/authorize', (ctx) => handleAuthorize(ctx, org), none);
  router.add(['GET', 'POST'], '/services/oauth2/revoke', (ctx) => handleRevoke(ctx, org), none);
  router.add(['GET', 'POST'], '/services/oauth2/userinfo', (ctx) => handleUserInfo(ctx, org), none);
  router.get('/id/:orgId/:userId', (ctx) => handleIdentity(ctx, org), none);
  // `*rest` may be empty: the login URL (`/Soap/u/62.0`) and the serverUrl (`/Soap/u/62.0/00D...`).
  for (const [letter, flavor] of [
    ['u', 'partner'],
    ['c', 'enterprise'],
  ] as const) {
    router.post(`/services/Soap/${letter}/:soapVersion/*rest`, (ctx) => handleSoap(ctx, org, flavor), none);
  }
}
