import { randomBytes } from 'node:crypto';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const TOKEN_ALPHABET = `${ALPHANUMERIC}._`;

/** `length` characters drawn uniformly from `alphabet` (rejection sampling, so no modulo bias). */
export function randomString(length: number, alphabet: string = ALPHANUMERIC): string {
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte >= limit) continue;
      out += alphabet[byte % alphabet.length];
      if (out.length === length) break;
    }
  }
  return out;
}

/** A session id shaped like Salesforce's: the org's 15-character id, `!`, then `AQ` and ~94 characters. */
export function newAccessToken(organizationId: string): string {
  return `${organizationId.slice(0, 15)}!AQ${randomString(94, TOKEN_ALPHABET)}`;
}

/** A refresh token shaped like Salesforce's (`5Aep861...`, 87 characters). */
export function newRefreshToken(): string {
  return `5Aep861${randomString(80, `${ALPHANUMERIC}.`)}`;
}

/** An authorization code shaped like Salesforce's (base64 ending in `==`, starting `aPrx`). */
export function newAuthorizationCode(): string {
  return `aPrx${randomBytes(48).toString('base64').slice(0, 60)}==`;
}

/** A connected app's consumer key (`3MVG9...`). */
export function newClientId(): string {
  return `3MVG9${randomString(80, `${ALPHANUMERIC}._`)}`;
}

/** A consumer secret: 64 upper-case hex characters, as current Salesforce orgs issue them. */
export function newClientSecret(): string {
  return randomBytes(32).toString('hex').toUpperCase();
}

/** A user's security token (24 characters). */
export function newSecurityToken(): string {
  return randomString(24);
}

/** A generated password that satisfies Salesforce's default policy (letters and digits, 8+). */
export function newPassword(): string {
  return `Emu${randomString(13)}9`;
}
