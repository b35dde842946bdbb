import { AuthorizationCodes } from './auth/authorization-codes.js';
import { type ConnectedApp, type ConnectedAppOptions, ConnectedApps } from './auth/connected-apps.js';
import { DEFAULT_SESSION_IDLE_MS, SessionStore } from './auth/sessions.js';
import {
  type CreateUserOptions,
  type EmulatorUser,
  type UserCredentials,
  UserDirectory,
} from './auth/users.js';
import type { BulkOptions } from './bulk/options.js';
import { BulkService } from './bulk/service.js';
import { type GenerateOverrides, generateRecords } from './data/generate.js';
import { insertRecords } from './data/seed.js';
import { DataStore } from './data/store.js';
import { syncUser } from './data/users.js';
import { IdFactory, KEY_PREFIXES } from './ids.js';
import { Clock, type ClockOptions } from './platform/clock.js';
import { FaultInjector } from './platform/faults.js';
import { ApiLimits, dataStorageLimit, type LimitsOptions } from './platform/limits.js';
import { RequestLog } from './platform/request-log.js';
import { SeededRandom } from './random.js';
import { type ApexHandler, ApexRoutes } from './rest/apex.js';
import { QueryCursors } from './rest/cursors.js';
import type { CustomFieldInput, CustomObjectInput } from './schema/custom.js';
import type { FieldDef, ObjectDef } from './schema/field.js';
import type { StoredRecord } from './schema/types.js';
import type { StreamingOptions } from './streaming/options.js';
import { type StreamingControl, StreamingService } from './streaming/service.js';

/**
 * The emulated org: identity of the org and its default user, and the services each area of the
 * emulator adds (sessions and auth, data, faults, limits, bulk, streaming). `startEmulator()` returns it
 * as `org`, the in-process control API; the `/__emulator/...` routes expose the same operations over HTTP.
 */
export interface OrgOptions {
  /** The API version served by default and advertised as latest. Default `62.0`. */
  readonly apiVersion?: string;
  /** `Organization.Name`, shown in SOAP login and identity. Default `Forcekit Emulator`. */
  readonly organizationName?: string;
  /**
   * Where the org's clock starts and whether it runs (`{ start: '2024-01-15T09:00:00Z', frozen: true }`).
   * Default: the real time, running.
   */
  readonly clock?: ClockOptions;
  /** Sessions end after this much inactivity. Default 2 hours, Salesforce's default. */
  readonly sessionIdleMs?: number;
  /** Daily and concurrent API request limits. */
  readonly limits?: LimitsOptions;
  /** Seed of the generator behind faults that fire for a fraction of requests. Default 1. */
  readonly seed?: number;
  /** The org's first user, a system administrator (`admin@emulator.forcekit.dev` by default). */
  readonly admin?: CreateUserOptions;
  /** The default connected app (OAuth client). */
  readonly connectedApp?: ConnectedAppOptions;
  /** A query locator (`nextRecordsUrl`) expires after this much idle time. Default 15 minutes. */
  readonly queryLocatorIdleMs?: number;
  /** Open query cursors per user; opening one more releases the least recently used. Default 10. */
  readonly maxQueryCursors?: number;
  /** Seed of the generator behind `org.generate()` values. Default 42. */
  readonly dataSeed?: number;
  /** Bulk job processing speed and limits (fast by default); see `org.bulk.configure()`. */
  readonly bulk?: BulkOptions;
  /** The Streaming API: long-poll hold, reconnect window, retention, Change Data Capture entities. */
  readonly streaming?: StreamingOptions;
}

/** A user created for a test, with a live session to use right away. */
export interface CreatedUser extends UserCredentials {
  /** An access token for this user, valid like any OAuth session. */
  readonly accessToken: string;
}

export class Org {
  readonly ids: IdFactory;
  readonly organizationId: string;
  readonly organizationName: string;
  readonly apiVersion: string;
  /**
   * The org's time: `advance(ms)` and `set(time)` move it forward (to expire sessions, codes and query
   * locators), `freeze()` stops it. Records, events and the `Date` header follow it.
   */
  readonly clock: Clock;
  readonly users: UserDirectory;
  readonly connectedApps: ConnectedApps;
  /** The app `credentials.clientId` names. */
  readonly connectedApp: ConnectedApp;
  readonly sessions: SessionStore;
  readonly authorizationCodes: AuthorizationCodes;
  readonly limits: ApiLimits;
  readonly faults: FaultInjector;
  /** The most recent requests the org answered (method, path, status, caller). */
  readonly requests: RequestLog;
  /** The default user (a system administrator). */
  readonly admin: EmulatorUser;
  /** The admin's login secrets. */
  readonly adminCredentials: UserCredentials;
  /** Records, schemas, blobs and change events (`org.data.onChange(...)`); the SOQL engine reads it. */
  readonly data: DataStore;
  /** Apex REST routes registered with `apexRoute()`. */
  readonly apex: ApexRoutes;
  /** Open query locators behind `nextRecordsUrl`. */
  readonly queryCursors: QueryCursors;
  /**
   * The Streaming API (CometD at `/cometd/NN.N`): clients, retained events, generic channels, and
   * faults (`forgetClients()`, `dropLongPolls()`).
   */
  readonly streaming: StreamingControl;
  /** Bulk API 2.0 and classic bulk jobs: processing speed, pause/resume, injected job failures. */
  readonly bulk: BulkService;
  #random: SeededRandom;
  readonly #dataSeed: number;
  readonly #sessionIdleMs: number;
  readonly #resetHooks: Array<() => void> = [];
  #url: string | undefined;

  constructor(options: OrgOptions = {}) {
    this.apiVersion = options.apiVersion ?? '62.0';
    if (!/^\d{2}\.0$/.test(this.apiVersion)) {
      throw new TypeError(`apiVersion must look like "62.0", got "${this.apiVersion}"`);
    }
    this.ids = new IdFactory();
    this.organizationId = this.ids.next(KEY_PREFIXES.Organization);
    this.organizationName = options.organizationName ?? 'Forcekit Emulator';
    this.clock = new Clock(options.clock);
    const now = () => this.clock.now();
    this.users = new UserDirectory(this.ids, now);
    this.adminCredentials = this.users.create({
      username: 'admin@emulator.forcekit.dev',
      firstName: 'Admin',
      lastName: 'User',
      ...options.admin,
    });
    this.admin = this.users.get(this.adminCredentials.userId) as EmulatorUser;
    this.connectedApps = new ConnectedApps();
    this.connectedApp = this.connectedApps.create({ runAsUserId: this.admin.id, ...options.connectedApp });
    this.#sessionIdleMs = options.sessionIdleMs ?? DEFAULT_SESSION_IDLE_MS;
    this.sessions = new SessionStore(this.organizationId, now, this.#sessionIdleMs);
    this.authorizationCodes = new AuthorizationCodes(now);
    this.limits = new ApiLimits(now, options.limits);
    this.faults = new FaultInjector(options.seed ?? 1);
    this.requests = new RequestLog();
    this.data = new DataStore({ ids: this.ids, userId: this.admin.id, apiVersion: this.apiVersion, now });
    this.users.subscribe((user) => syncUser(this.data, user));
    this.limits.register('DataStorageMB', () => {
      let count = 0;
      for (const def of this.data.objects()) {
        // Users and profiles do not use data storage.
        if (def.name !== 'User' && def.name !== 'Profile') count += this.data.records(def.name).length;
      }
      return dataStorageLimit(count);
    });
    this.apex = new ApexRoutes();
    this.queryCursors = new QueryCursors(this.ids, now, {
      ...(options.queryLocatorIdleMs === undefined ? {} : { idleMs: options.queryLocatorIdleMs }),
      ...(options.maxQueryCursors === undefined ? {} : { maxOpenPerUser: options.maxQueryCursors }),
    });
    this.#dataSeed = options.dataSeed ?? 42;
    this.#random = new SeededRandom(this.#dataSeed);
    this.bulk = new BulkService({ data: this.data, ids: this.ids, now }, options.bulk);
    this.onReset(() => this.bulk.reset());
    this.onReset(() => {
      this.data.reset();
      this.queryCursors.clear();
    });
    this.streaming = new StreamingService(
      {
        data: this.data,
        sessions: this.sessions,
        clock: this.clock,
        limits: this.limits,
        apiVersion: this.apiVersion,
      },
      options.streaming,
    );
    this.onReset(() => this.streaming.reset());
  }

  /**
   * Inserts records as the API would (same validation and defaults), all or none; audit fields such as
   * `CreatedDate` may be set. Returns the stored records, with their `Id`s.
   */
  insert(objectName: string, records: readonly Readonly<Record<string, unknown>>[]): StoredRecord[] {
    return insertRecords(this.data, objectName, records);
  }

  /**
   * Generates `n` records with realistic values (a million Accounts take a few seconds). `overrides`
   * fix a field (`{ Industry: 'Energy' }`) or compute it from the index (`{ Name: (i) => 'Acme ' + i }`).
   */
  generate(objectName: string, n: number, overrides: GenerateOverrides = {}): StoredRecord[] {
    return generateRecords(this.data, objectName, n, overrides, this.#random);
  }

  /** Defines a custom object (`Foo__c`, with its standard fields) or a platform event (`Foo__e`). */
  defineObject(input: CustomObjectInput): ObjectDef {
    return this.data.defineObject(input);
  }

  /** Adds a custom field (`Ext__c`: text, number, picklist, reference, external id, unique...) to an object. */
  defineField(objectName: string, input: CustomFieldInput): FieldDef {
    return this.data.defineField(objectName, input);
  }

  /** Registers an Apex REST route under `/services/apexrest` (`:name` segments, a trailing `*`). */
  apexRoute(method: string, path: string, handler: ApexHandler): void {
    this.apex.add(method, path, handler);
  }

  /** The object's live records (deleted ones too with `includeDeleted`), for assertions. */
  records(objectName: string, options: { readonly includeDeleted?: boolean } = {}): StoredRecord[] {
    if (this.data.object(objectName) === undefined) throw new Error(`records: no such object ${objectName}`);
    const all = this.data.records(objectName);
    return options.includeDeleted ? [...all] : all.filter((record) => record.IsDeleted !== true);
  }

  /**
   * The URL the org is served at (`http://127.0.0.1:<port>`): both its login host and its instance, as
   * a My Domain is. Known once `startEmulator()` listens.
   */
  get url(): string {
    if (this.#url === undefined) throw new Error('the org is not being served yet: use startEmulator()');
    return this.#url;
  }

  /** Called by the server once it listens. */
  serveAt(url: string): void {
    this.#url = url.endsWith('/') ? url.slice(0, -1) : url;
  }

  /** The identity URL of a user, `<login URL>/id/<orgId>/<userId>`. */
  identityUrl(userId: string): string {
    return `${this.url}/id/${this.organizationId}/${userId}`;
  }

  /** Adds a user (for multi-user tests) and opens a session for them. */
  createUser(options: CreateUserOptions = {}): CreatedUser {
    const credentials = this.users.create(options);
    return { ...credentials, accessToken: this.createSession(credentials.userId) };
  }

  /** Opens a session for a user (default: the admin) without going through a login flow. */
  createSession(userId: string = this.admin.id): string {
    const user = this.users.get(userId);
    if (!user) throw new Error(`no user with id ${userId}`);
    return this.sessions.issue({ userId, origin: 'emulator', scopes: ['api', 'web', 'id'] }).accessToken;
  }

  /** Ends every session now; the next call with an old token gets 401 `INVALID_SESSION_ID`. */
  expireSessions(): number {
    return this.sessions.expireAll();
  }

  /** Registers what `reset()` must also clear in another area (data, bulk jobs...). */
  onReset(hook: () => void): void {
    this.#resetHooks.push(hook);
  }

  /**
   * Back to the org as it started, between tests. Cleared: faults (and the fault generator back at its
   * seed), request usage and pinned `/limits` entries, the request log, every record but users (PushTopics
   * and streaming channels included) and every blob, query locators, bulk jobs, streaming clients and
   * retained events (replay ids count from 1 again). Put back as given at start: request limits, the
   * session idle timeout, streaming options, bulk settings (and bulk processing no longer paused), the
   * `org.generate()` value sequence. Kept, so credentials and definitions keep working: users,
   * connected apps, sessions, custom objects and fields, Apex routes, and the org's time.
   */
  reset(): void {
    this.faults.reset();
    this.limits.reset();
    this.requests.clear();
    this.sessions.idleTimeoutMs = this.#sessionIdleMs;
    this.#random = new SeededRandom(this.#dataSeed);
    for (const hook of this.#resetHooks) hook();
  }
}
