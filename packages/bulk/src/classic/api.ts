import {
  ApiError,
  type HttpMethod,
  type RawResponse,
  type Requester,
  type RequestOptions,
  type Session,
} from '@forcekit/core';

/** The session error of the classic API: HTTP 400 with `exceptionCode` `InvalidSessionId`, not a REST 401. */
function isInvalidSession(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'InvalidSessionId';
}

export interface ClassicRequest {
  readonly method?: HttpMethod;
  /** Under `/services/async/NN.N/`, e.g. `job/750…/batch`. */
  readonly path: string;
  readonly body?: string | undefined;
  readonly contentType?: string | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Declares that repeating the request cannot duplicate data (see core's `RequestOptions`). */
  readonly idempotent?: boolean | undefined;
}

/**
 * The classic Bulk API (`/services/async/NN.N/`, no `v`) on a `Requester`: requests carry the session
 * in `X-SFDC-Session`, and an `InvalidSessionId` answer refreshes the session once (through the
 * requester's single-flight refresh) and repeats the request.
 */
export class ClassicApi {
  readonly requester: Requester;

  constructor(requester: Requester) {
    this.requester = requester;
  }

  get base(): string {
    return `/services/async/${this.requester.version}/`;
  }

  /** Sends a request and returns the body text (XML, CSV). */
  text(request: ClassicRequest): Promise<string> {
    return this.#withSession((session) =>
      this.requester.request({ ...this.#options(request, session), responseType: 'text' }),
    );
  }

  /** Sends a request and returns the body as a stream (large query results). */
  raw(request: ClassicRequest): Promise<RawResponse> {
    return this.#withSession((session) => this.requester.raw(this.#options(request, session)));
  }

  #options(request: ClassicRequest, session: Session): RequestOptions {
    const headers: Record<string, string> = { 'x-sfdc-session': session.accessToken };
    if (request.contentType !== undefined) headers['content-type'] = request.contentType;
    return {
      method: request.method ?? 'GET',
      path: this.base + request.path,
      body: request.body,
      headers,
      signal: request.signal,
      idempotent: request.idempotent,
      session,
    };
  }

  async #withSession<T>(send: (session: Session) => Promise<T>): Promise<T> {
    const session = this.requester.session ?? (await this.requester.getSession());
    try {
      return await send(session);
    } catch (error) {
      if (!isInvalidSession(error)) throw error;
      const fresh = await this.requester.refreshSession(session);
      return send(fresh);
    }
  }
}
