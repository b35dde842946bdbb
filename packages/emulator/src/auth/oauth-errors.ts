import { HttpError } from '../http/context.js';

/**
 * An OAuth endpoint error: a flat `{ error, error_description }` object with HTTP 400, unlike the REST
 * error array.
 */
export function oauthError(error: string, description: string, status = 400): HttpError {
  return new HttpError(status, { error, error_description: description });
}

export const OAUTH = {
  invalidClientId: () => oauthError('invalid_client_id', 'client identifier invalid'),
  invalidClient: () => oauthError('invalid_client', 'invalid client credentials'),
  authenticationFailure: () => oauthError('invalid_grant', 'authentication failure'),
  expiredToken: () => oauthError('invalid_grant', 'expired access/refresh token'),
  unsupportedGrantType: () => oauthError('unsupported_grant_type', 'grant type not supported'),
  mustUsePost: () => oauthError('invalid_request', 'must use HTTP POST'),
} as const;
