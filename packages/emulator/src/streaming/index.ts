import type { Router } from '../http/router.js';
import type { Org } from '../org.js';
import { registerStreamingControlRoutes } from './control-routes.js';
import { cometdHandler } from './endpoint.js';
import { pushHandler } from './generic.js';
import { StreamingService } from './service.js';

/**
 * The Streaming API area: the CometD endpoint (`/cometd/NN.N`, `/cometd/replay/NN.N`), the generic
 * streaming push resource, and (given the control router) the `/__emulator/streaming/...` controls.
 * The endpoint authenticates each request itself, so its Bayeux replies can carry Salesforce's
 * streaming errors; CometD traffic does not count against the REST API request limits.
 */
export function registerStreamingRoutes(api: Router, org: Org, control?: Router): void {
  const service = org.streaming;
  if (!(service instanceof StreamingService)) {
    throw new TypeError("registerStreamingRoutes: org.streaming is not the emulator's StreamingService");
  }
  const none = { auth: 'none' } as const;
  api.post('/cometd', cometdHandler(org, service, 'versionless'), none);
  api.post('/cometd/replay/:apiVersion', cometdHandler(org, service, 'replay'), none);
  api.post('/cometd/:apiVersion', cometdHandler(org, service, 'current'), none);
  api.post('/services/data/:version/sobjects/StreamingChannel/:id/push', pushHandler(org.data, service));
  if (control !== undefined) registerStreamingControlRoutes(control, service);
}
