import { createHash, randomBytes } from 'node:crypto';

/** The S256 code challenge for a PKCE code verifier: base64url(SHA-256(verifier)), no padding. */
export function codeChallengeOf(codeVerifier: string): string {
  return createHash('sha256').update(codeVerifier).digest('base64url');
}

/** A fresh PKCE pair: a 86-character verifier (64 random bytes) and its S256 challenge. */
export function createPkcePair(): { codeVerifier: string; codeChallenge: string } {
  const codeVerifier = randomBytes(64).toString('base64url');
  return { codeVerifier, codeChallenge: codeChallengeOf(codeVerifier) };
}

/** An unguessable OAuth `state` value (128 bits). */
export function createState(): string {
  return randomBytes(16).toString('base64url');
}
