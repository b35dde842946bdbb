import { describe, expect, it } from 'vitest';
import { codeChallengeOf, createPkcePair, createState } from './pkce.js';

describe('PKCE', () => {
  it('computes the S256 challenge of RFC 7636 appendix B', () => {
    expect(codeChallengeOf('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('creates verifiers in the allowed alphabet and length, each time new', () => {
    const a = createPkcePair();
    const b = createPkcePair();
    expect(a.codeVerifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    expect(a.codeChallenge).toBe(codeChallengeOf(a.codeVerifier));
    expect(a.codeVerifier).not.toBe(b.codeVerifier);
    expect(createState()).not.toBe(createState());
  });
});
