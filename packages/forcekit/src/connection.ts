import type { Readable } from 'node:stream';
import { Bulk, type BulkOptions } from '@forcekit/bulk';
import {
  type AuthorizationRequest,
  type AuthorizeUrlParams,
  type ClientEvents,
  type ClientOptions,
  createClient,
  type LimitInfo,
  type Requester,
  type RequestOptions,
  type SalesforceClient,
  type Session,
} from '@forcekit/core';
import {
  type ApexRest,
  type ApiVersion,
  type AttachmentFields,
  apexRest,
  type BinaryInput,
  type CallOptions,
  type CompositeBatchOptions,
  type CompositeBatchResult,
  type CompositeOptions,
  type CompositeResult,
  type ContentVersionFields,
  composite,
  compositeBatch,
  compositeTree,
  createAttachment,
  createDocument,
  DescribeCache,
  type DescribeCacheOptions,
  type DescribeGlobalResult,
  type DescribeOptions,
  type DocumentFields,
  describeGlobal,
  getAttachmentBody,
  getContentVersionBody,
  getDocumentBody,
  type IdentityInfo,
  identity,
  type Limits,
  limits,
  type Query,
  type QueryOptions,
  type QueryResult,
  query,
  queryAll,
  queryMore,
  type ReferencedSubrequest,
  type Resources,
  resources,
  type SearchRecord,
  type SearchResult,
  type SoslSpec,
  type Subrequest,
  search,
  type TreeRecord,
  type TreeResult,
  type UploadResult,
  uploadContentVersion,
  versions,
} from '@forcekit/sobject';
import type { UntypedRecord } from '@forcekit/soql';
import {
  createStreaming,
  type PushTopicEvent,
  type Streaming,
  type StreamingOptions,
  type SubscribeOptions,
  type Subscription,
  type Topic,
  toChannel,
} from '@forcekit/streaming';
import {
  type ExpressOAuth,
  type ExpressOAuthOptions,
  expressOAuth,
  type OAuthRequest,
  type OAuthResponse,
} from './express.js';
import { ConnectionSObject } from './repository.js';
import { checkBulkThreshold, DEFAULT_BULK_THRESHOLD } from './save-many.js';

/**
 * Options for `createConnection()`: the client options of `@forcekit/core` (every one optional, each
 * default stated there), plus the describe cache's, the Bulk APIs' and the Streaming API's.
 */
export interface ConnectionOptions extends ClientOptions {
  /**
   * The connection's describe cache: `maxAge`, how long (ms) a describe is served before it is
   * revalidated with `If-Modified-Since` (default `300000`, 5 minutes), and `maxEntries` (default `500`).
   */
  describeCache?: DescribeCacheOptions | undefined;
  /**
   * Polling defaults of `conn.bulk` (each call may override them): `pollInterval` (default 1000 ms,
   * growing 1.5 times a poll), `maxPollInterval` (default ten times `pollInterval`, at most 10,000 ms),
   * `pollTimeout` (default 1,800,000 ms, 30 minutes).
   */
  bulk?: BulkOptions | undefined;
  /**
   * Records above which `sobject(name).createMany/updateMany/upsertMany/deleteMany` use Bulk API 2.0
   * instead of sObject Collections. Default 2,000; `Infinity` never, `0` always.
   */
  bulkThreshold?: number | undefined;
  /**
   * Options of `conn.streaming` (checked when it is first used): `replayStore` (default a memory store
   * per `Streaming`), `invalidReplay` (`'all'`), `maxBuffer` (1,000), `overflow` (`'pause'`),
   * `reconnect` (1,000 ms doubling to 60,000 ms), `maxNetworkDelayMs` (15,000). Views made with
   * `as(session)` use the same options, the same replay store included.
   */
  streaming?: StreamingOptions | undefined;
}

/** The schema of an untyped connection: any object name, untyped records. */
export type UntypedSchema = Record<string, UntypedRecord>;

/** The record type a schema gives an object name. */
export type SchemaRecord<S, K extends keyof S> = S[K] extends object ? S[K] : UntypedRecord;

/** What a connection and its `as(session)` views share. */
interface Wiring {
  readonly client: SalesforceClient;
  readonly requester: Requester;
  readonly describes: DescribeCache;
  /** Whether `login()` uses the OAuth password flow (a client id is set) or SOAP login. */
  readonly oauthLogin: boolean;
  readonly bulkOptions: BulkOptions;
  readonly bulkThreshold: number;
  readonly streamingOptions: StreamingOptions | undefined;
  /** Every `Streaming` the connection and its views made: `close()` closes them. */
  readonly streamings: Set<Streaming>;
}

// `as(session)` builds a view through the public constructor: the wiring waits here for it.
let pendingView: Wiring | undefined;

/**
 * One import for Salesforce: auth (from `@forcekit/core`), typed sObject repositories, queries, search,
 * Apex REST, composite and files (from `@forcekit/sobject`), the Bulk APIs (`@forcekit/bulk`) and the
 * Streaming API (`@forcekit/streaming`). It composes those packages and adds nothing of its own but the
 * choice between sObject Collections and Bulk API 2.0 in `sobject(name).createMany()` and its siblings.
 * `S` is an optional schema (`createConnection<MySchema>()`), hand-written or produced by
 * `forcekit generate-types`, that types `sobject(name)`.
 */
export class Connection<S extends object = UntypedSchema> {
  readonly #wiring: Wiring;
  #bulk: Bulk | undefined;
  #streaming: Streaming | undefined;
  /** Apex REST: `conn.apex.get('/accounts/001…')`, `conn.apex.post('/orders', body)`. */
  readonly apex: ApexRest;

  constructor(options: ConnectionOptions = {}) {
    const view = pendingView;
    pendingView = undefined;
    if (view !== undefined) {
      this.#wiring = view;
    } else {
      // A non-object goes to createClient as is, which names the problem.
      const { describeCache, bulk, bulkThreshold, streaming, ...clientOptions }: ConnectionOptions =
        typeof options === 'object' && options !== null ? options : {};
      const client = createClient(typeof options === 'object' && options !== null ? clientOptions : options);
      const describes = new DescribeCache(describeCache);
      // The Bulk checks its defaults as it is made: a bad one throws here, naming it.
      this.#bulk = new Bulk(client, bulk);
      this.#wiring = {
        client,
        requester: client,
        describes,
        oauthLogin: clientOptions.clientId !== undefined,
        bulkOptions: bulk ?? {},
        bulkThreshold:
          bulkThreshold === undefined
            ? DEFAULT_BULK_THRESHOLD
            : checkBulkThreshold(bulkThreshold, 'bulkThreshold'),
        streamingOptions: streaming,
        streamings: new Set(),
      };
    }
    this.apex = apexRest(this.#wiring.requester);
  }

  /** The `@forcekit/core` client: every auth flow, `setSession`, `revoke`, `userInfo`, `close`. */
  get client(): SalesforceClient {
    return this.#wiring.client;
  }

  /** What this connection signs requests with: the client, or the bound session of an `as()` view. */
  get requester(): Requester {
    return this.#wiring.requester;
  }

  /** The REST API version, e.g. `'62.0'`. */
  get version(): string {
    return this.#wiring.requester.version;
  }

  /** The session requests are signed with (none in multi-user mode, unless this is an `as()` view). */
  get session(): Session | undefined {
    return this.#wiring.requester.session;
  }

  /** The latest `Sforce-Limit-Info` (API requests used of the daily maximum). */
  get limitInfo(): LimitInfo | undefined {
    return this.#wiring.requester.limitInfo;
  }

  /**
   * Logs in with a username and password (the security token appended, unless the IP is trusted): the
   * OAuth 2.0 password flow when the connection has a `clientId`, else SOAP `login()`.
   */
  login(username: string, password: string): Promise<Session> {
    const { client, oauthLogin } = this.#wiring;
    return oauthLogin
      ? client.loginWithPassword({ username, password })
      : client.loginWithSoap({ username, password });
  }

  /** The authorization-code flow's redirect URL, with PKCE and a state to keep until the callback. */
  authorizeUrl(params?: AuthorizeUrlParams): AuthorizationRequest {
    return this.#wiring.client.authorizeUrl(params);
  }

  /** Checks the callback's state against the pending request, then exchanges its code for a session. */
  completeAuthorization(
    pending: Pick<AuthorizationRequest, 'state' | 'codeVerifier'> & {
      readonly redirectUri?: string | undefined;
    },
    callback: string | URL | URLSearchParams,
  ): Promise<Session> {
    return this.#wiring.client.completeAuthorization(pending, callback);
  }

  /** Revokes the session (its refresh token when it has one) and forgets it. */
  logout(session?: Session): Promise<void> {
    return this.#wiring.client.revoke(session ?? this.#wiring.requester.session);
  }

  /**
   * A view of this connection that signs every request with `session`: one connection (one connection
   * pool, one describe cache) serving many users.
   */
  as(session: Session): Connection<S> {
    pendingView = { ...this.#wiring, requester: this.#wiring.requester.as(session) };
    return new Connection<S>();
  }

  /** `'refresh'`: a session was refreshed; persist `event.session` in place of `event.previous`. */
  on<K extends keyof ClientEvents>(event: K, listener: (event: ClientEvents[K]) => void): () => void {
    return this.#wiring.requester.on(event, listener);
  }

  off<K extends keyof ClientEvents>(event: K, listener: (event: ClientEvents[K]) => void): void {
    this.#wiring.requester.off(event, listener);
  }

  /**
   * The typed repository of one object: `conn.sobject('Account').find({ … }).execute()`, plus
   * `createMany`/`updateMany`/`upsertMany`/`deleteMany`, which use Bulk API 2.0 above `bulkThreshold`.
   */
  sobject<K extends keyof S & string>(type: K): ConnectionSObject<SchemaRecord<S, K>> {
    return new ConnectionSObject<SchemaRecord<S, K>>(this.#wiring.requester, type, {
      describeCache: this.#wiring.describes,
      bulk: this.bulk,
      bulkThreshold: this.#wiring.bulkThreshold,
    });
  }

  /**
   * The Bulk APIs, signing with this connection's session (an `as(session)` view's with that one): Bulk
   * API 2.0 `load`, `query`, `createIngestJob`, `jobs`, `job(id)`, and the classic `createJob`.
   */
  get bulk(): Bulk {
    this.#bulk ??= new Bulk(this.#wiring.requester, this.#wiring.bulkOptions);
    return this.#bulk;
  }

  /**
   * The Streaming API, signing with this connection's session (an `as(session)` view's with that one).
   * Made on first use; nothing connects, and CometD's Node adapter (which patches globals) is not
   * loaded, until the first `subscribe()`. `close()` ends it.
   */
  get streaming(): Streaming {
    if (this.#streaming === undefined) {
      const streaming = createStreaming(this.#wiring.requester, this.#wiring.streamingOptions);
      this.#wiring.streamings.add(streaming);
      this.#streaming = streaming;
    }
    return this.#streaming;
  }

  /**
   * A channel in the `node-salesforce` seed's callback style: `conn.topic('AllAccounts').subscribe(fn)`.
   * A bare name is a PushTopic (`/topic/<name>`); a full channel (`/event/Order__e`) is kept.
   */
  topic<E = PushTopicEvent>(nameOrChannel: string): Topic<E> {
    return this.streaming.topic<E>(nameOrChannel);
  }

  /**
   * A subscription in the `force` seed's style, `conn.stream('AllAccounts').on('data', fn)`, or to
   * iterate with `for await`. A bare name is a PushTopic; a full channel is kept.
   */
  stream<E = PushTopicEvent>(nameOrChannel: string, options?: SubscribeOptions): Subscription<E> {
    return this.streaming.subscribe<E>(toChannel(nameOrChannel), options) as Subscription<E>;
  }

  /** `GET sobjects/`: every object of the org, cached like describes. */
  describeGlobal(options?: DescribeOptions): Promise<DescribeGlobalResult> {
    return describeGlobal(this.#wiring.requester, { ...options, cache: this.#wiring.describes });
  }

  /** A query of SOQL text: `execute()`, `for await`, `stream()`, `toCSV()`, `run()`. */
  query<R = UntypedRecord>(soql: string, options?: QueryOptions): Query<R> {
    return query<R>(this.#wiring.requester, soql, options);
  }

  /** A query through `queryAll`: deleted and archived records too. */
  queryAll<R = UntypedRecord>(soql: string, options?: QueryOptions): Query<R> {
    return queryAll<R>(this.#wiring.requester, soql, options);
  }

  /** The page at a `nextRecordsUrl` (or a bare query locator). */
  queryMore<R = UntypedRecord>(
    locator: string,
    options?: Omit<QueryOptions, 'includeDeleted'>,
  ): Promise<QueryResult<R>> {
    return queryMore<R>(this.#wiring.requester, locator, options);
  }

  /** A SOSL search: text (escape input with `escapeSosl`) or a `SoslSpec`. */
  search<R extends object = SearchRecord>(
    sosl: string | SoslSpec,
    options?: CallOptions,
  ): Promise<SearchResult<R>> {
    return search<R>(this.#wiring.requester, sosl, options);
  }

  /** `POST /composite`: up to 25 subrequests, later ones referring to earlier results. */
  composite<K extends string>(
    subrequests:
      | Readonly<Record<K, Subrequest>>
      | readonly (ReferencedSubrequest & { readonly referenceId: K })[],
    options?: CompositeOptions,
  ): Promise<CompositeResult<K>> {
    return composite<K>(this.#wiring.requester, subrequests, options);
  }

  /** `POST /composite/batch`: up to 25 independent subrequests. */
  compositeBatch(
    subrequests: readonly Subrequest[],
    options?: CompositeBatchOptions,
  ): Promise<CompositeBatchResult> {
    return compositeBatch(this.#wiring.requester, subrequests, options);
  }

  /** `POST /composite/tree/<type>`: records with nested children in one transaction. */
  compositeTree(type: string, records: readonly TreeRecord[], options?: CallOptions): Promise<TreeResult> {
    return compositeTree(this.#wiring.requester, type, records, options);
  }

  /** The org's limits and what remains of each. */
  limits(options?: CallOptions): Promise<Limits> {
    return limits(this.#wiring.requester, options);
  }

  /** Who this connection's session belongs to (the identity URL's JSON). */
  identity(options?: CallOptions): Promise<IdentityInfo> {
    return identity(this.#wiring.requester, options);
  }

  /** The API versions the org serves, oldest first. */
  versions(options?: CallOptions): Promise<ApiVersion[]> {
    return versions(this.#wiring.requester, options);
  }

  /** The REST resources of this connection's API version. */
  resources(options?: CallOptions): Promise<Resources> {
    return resources(this.#wiring.requester, options);
  }

  /** The escape hatch: any REST request, signed, retried and refreshed like every other. */
  request<T = unknown>(options: RequestOptions): Promise<T> {
    return this.#wiring.requester.request<T>(options);
  }

  /** An Attachment's body, streamed. */
  getAttachmentBody(id: string, options?: CallOptions): Promise<Readable> {
    return getAttachmentBody(this.#wiring.requester, id, options);
  }

  /** A Document's body, streamed. */
  getDocumentBody(id: string, options?: CallOptions): Promise<Readable> {
    return getDocumentBody(this.#wiring.requester, id, options);
  }

  /** A ContentVersion's file, streamed. */
  getContentVersionBody(id: string, options?: CallOptions): Promise<Readable> {
    return getContentVersionBody(this.#wiring.requester, id, options);
  }

  /** Uploads a file to Salesforce Files (multipart, streamed). */
  uploadContentVersion(
    fields: ContentVersionFields,
    data: BinaryInput,
    options?: CallOptions,
  ): Promise<UploadResult> {
    return uploadContentVersion(this.#wiring.requester, fields, data, options);
  }

  /** Creates an Attachment (body sent base64). */
  createAttachment(
    fields: AttachmentFields,
    body: Uint8Array | string,
    options?: CallOptions,
  ): Promise<UploadResult> {
    return createAttachment(this.#wiring.requester, fields, body, options);
  }

  /** Creates a Document (body sent base64). */
  createDocument(
    fields: DocumentFields,
    body: Uint8Array | string,
    options?: CallOptions,
  ): Promise<UploadResult> {
    return createDocument(this.#wiring.requester, fields, body, options);
  }

  /**
   * The express/connect middleware of the web-server OAuth flow: `authorize` redirects to Salesforce
   * (state and PKCE verifier kept in `req.session`), `callback` exchanges the code and stores the session
   * in `req.session`. Use a `mode: 'multi'` connection and `conn.as(oauth.session(req))` per request.
   */
  expressOAuth<Req extends OAuthRequest = OAuthRequest, Res extends OAuthResponse = OAuthResponse>(
    options?: ExpressOAuthOptions<Req, Res>,
  ): ExpressOAuth {
    return expressOAuth(this.#wiring.client, options);
  }

  /**
   * Ends every streaming subscription of the connection and its views, then closes the connection pool
   * (views share it: close the connection, not each view).
   */
  async close(): Promise<void> {
    const { client, streamings } = this.#wiring;
    const open = [...streamings];
    streamings.clear();
    try {
      await Promise.all(open.map((streaming) => streaming.close()));
    } finally {
      await client.close();
    }
  }
}

/** Creates a connection; `createConnection<MySchema>(…)` types `conn.sobject(name)` from a schema. */
export function createConnection<S extends object = UntypedSchema>(
  options?: ConnectionOptions,
): Connection<S> {
  return new Connection<S>(options);
}
