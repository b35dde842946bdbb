// What tests note of the requests a client sends (through an undici interceptor of their own), and how
// they pick requests out of that record. Test-only: nothing here is part of a package.

/** A request as the client sent it: method, path with its query string, lower-cased headers. */
export interface SentRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** The `SentRequest` of undici dispatch options (forcekit's transport gives headers as an object). */
export function sentRequestOf(options: {
  readonly method: string;
  readonly path: string;
  readonly headers?: unknown;
}): SentRequest {
  const headers: Record<string, string> = {};
  const raw = options.headers;
  if (raw !== null && raw !== undefined && typeof raw === 'object' && !Array.isArray(raw)) {
    for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
      headers[name.toLowerCase()] = String(value);
    }
  }
  return { method: options.method, path: options.path, headers };
}

/**
 * The requests of `method` whose path, after the API prefix (`/services/data/vNN.N/` or
 * `/services/async/NN.N/`), starts with `prefix`.
 */
export function sentTo(sent: readonly SentRequest[], method: string, prefix: string): SentRequest[] {
  return sent.filter(
    (request) =>
      request.method === method &&
      request.path.replace(/^\/services\/(data\/v|async\/)[\d.]+\//, '').startsWith(prefix),
  );
}

/** The rejection of a promise that must reject. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the promise to reject');
}
