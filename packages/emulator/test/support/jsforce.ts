import { Connection } from 'jsforce';
import type { Emulator } from '../../src/index.js';

/** jsforce 3.10.16 (an independent client) on the admin's ready session, at the org's API version. */
export function jsforceConnection(emulator: Emulator): Connection {
  return new Connection({
    instanceUrl: emulator.url,
    accessToken: emulator.credentials.accessToken,
    version: emulator.credentials.apiVersion,
  });
}
