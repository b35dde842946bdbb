import { HttpError } from '../http/context.js';

/** Salesforce's answer for a missing, unknown, revoked or expired session. */
export const INVALID_SESSION_BODY = [
  { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
];

export function invalidSession(): HttpError {
  return new HttpError(401, INVALID_SESSION_BODY);
}

export function notFound(message = 'The requested resource does not exist'): HttpError {
  return HttpError.rest(404, 'NOT_FOUND', message);
}

/** The 500 body Salesforce sends for an internal error (the ErrorId is random in a real org). */
export function unknownException(): HttpError {
  const errorId = `${Math.floor(Math.random() * 1e9)}-${Math.floor(Math.random() * 1e6)}`;
  const code = -Math.floor(Math.random() * 2e9);
  return HttpError.rest(
    500,
    'UNKNOWN_EXCEPTION',
    `An unexpected error occurred. Please include this ErrorId if you contact support: ${errorId} (${code})`,
  );
}
