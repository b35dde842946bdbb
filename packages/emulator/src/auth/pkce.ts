import { createHash, timingSafeEqual } from 'node:crypto';

/** The S256 code challenge of a PKCE verifier: base64url(SHA-256(verifier)), no padding. */
export function codeChallengeS256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** True when `verifier` hashes to `challenge` (S256, the method Salesforce implies). */
export function verifyCodeChallenge(verifier: string, challenge: string): boolean {
  const actual = Buffer.from(codeChallengeS256(verifier));
  const expected = Buffer.from(challenge);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
