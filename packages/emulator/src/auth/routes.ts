import type { Router } from '../http/router.js';
import type { Org } from '../org.js';
import { handleToken } from './token-endpoint.js';

/**
 * The login host's endpoints: OAuth 2.0 (token, authorize, revoke, userinfo), the identity URL and the
 * SOAP partner login. None needs a session header; each checks its own credentials.
 */
export function registerAuthRoutes(router: Router, org: Org): void {
  router.add(['GET', 'POST'], '/services/oauth2/token', (ctx) => handleToken(ctx, org), { auth: 'none' });
}
