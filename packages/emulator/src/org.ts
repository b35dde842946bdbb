import { IdFactory, KEY_PREFIXES } from './ids.js';

/**
 * The emulated org: identity of the org and its default user, and the services each area of the
 * emulator adds (sessions and auth, data, faults, limits, bulk, streaming). `startEmulator()` returns it
 * as `org`, the in-process control API; the `/__emulator/...` routes expose the same operations over HTTP.
 */
export interface OrgOptions {
  /** The API version served by default and advertised as latest. Default `62.0`. */
  readonly apiVersion?: string;
}

export class Org {
  readonly ids: IdFactory;
  readonly organizationId: string;
  readonly apiVersion: string;

  constructor(options: OrgOptions = {}) {
    this.ids = new IdFactory();
    this.organizationId = this.ids.next(KEY_PREFIXES.Organization);
    this.apiVersion = options.apiVersion ?? '62.0';
  }
}
