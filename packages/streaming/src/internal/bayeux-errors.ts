/**
 * Reading the Bayeux `error` strings Salesforce answers with (`<code>:<args>:<text>`, e.g.
 * `401::Authentication invalid`) and deciding what each one asks of the client (protocol notes 6.5).
 */

export interface BayeuxError {
  /** The numeric code (`401`), or undefined when the string has none. */
  readonly code: number | undefined;
  /** The text after the second colon (`Authentication invalid`). */
  readonly text: string;
  /** The whole string as sent. */
  readonly raw: string;
}

/** Splits `401::Authentication invalid` into code and text; tolerates strings without a code. */
export function parseBayeuxError(error: string): BayeuxError {
  const match = /^(\d{3}):([^:]*):(.*)$/s.exec(error);
  if (match === null) return { code: undefined, text: error, raw: error };
  return { code: Number(match[1]), text: match[3] as string, raw: error };
}

/** What a failed reply on a meta channel asks the client to do. */
export type FailureKind =
  /** The token is no good: refresh the session, then handshake again (`401::Authentication invalid`, `403::Handshake denied`). */
  | 'reauthenticate'
  /** The server forgot this client: handshake again and re-subscribe (`403::Unknown client`). */
  | 'rehandshake'
  /** The replay id was refused (`400::The replayId {N} you provided was invalid...`). */
  | 'invalid-replay'
  /** The channel does not exist or is not visible (`400::The channel you requested ... does not exist`, `404::Unknown channel`). */
  | 'channel-not-found'
  /** A limit was hit; try again later (`403::Organization concurrent user limit exceeded`). */
  | 'limit'
  /** Anything else the server refused: retrying the same request will not help. */
  | 'refused';

/** A meta reply as far as failure handling reads it. */
export interface FailedReply {
  readonly error?: unknown;
  readonly ext?: unknown;
}

/** The `ext.sfdc.failureReason` of a denied handshake (`401::Authentication invalid`), if any. */
export function failureReasonOf(reply: FailedReply): string | undefined {
  const ext = reply.ext;
  if (typeof ext !== 'object' || ext === null) return undefined;
  const sfdc = (ext as { sfdc?: unknown }).sfdc;
  if (typeof sfdc !== 'object' || sfdc === null) return undefined;
  const reason = (sfdc as { failureReason?: unknown }).failureReason;
  return typeof reason === 'string' ? reason : undefined;
}

/**
 * Classifies a failed reply that carries a server `error`; undefined for failures without one
 * (network errors, timeouts), which are retried with backoff.
 */
export function classifyFailure(reply: FailedReply): FailureKind | undefined {
  if (typeof reply.error !== 'string') return undefined;
  const { code, text } = parseBayeuxError(reply.error);
  const reason = failureReasonOf(reply);
  if (reason?.startsWith('401')) return 'reauthenticate';
  if (code === 401) return 'reauthenticate';
  if (code === 403 && /^handshake denied$/i.test(text.trim())) return 'reauthenticate';
  if (code === 403 && /^unknown client$/i.test(text.trim())) return 'rehandshake';
  if (/limit exceeded/i.test(text)) return 'limit';
  if (code === 400 && /^The replayId \{[^}]*\} you provided was invalid/.test(text)) return 'invalid-replay';
  if (code === 400 && /does not exist/i.test(text)) return 'channel-not-found';
  if (code === 404) return 'channel-not-found';
  return 'refused';
}
