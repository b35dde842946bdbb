import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TOKEN_KEYS } from '../../test/support/oauth.js';
import { codeChallengeS256, verifyCodeChallenge } from './pkce.js';
import { renderTokenResponse, tokenSignature } from './token-response.js';

describe('renderTokenResponse', () => {
  it('orders keys as Salesforce does and signs id + issued_at', () => {
    const body = renderTokenResponse({
      accessToken: 'tok',
      refreshToken: 'ref',
      scopes: ['api', 'refresh_token'],
      instanceUrl: 'http://i',
      id: 'http://i/id/00D/005',
      issuedAt: 1278448832702,
      clientSecret: 'secret',
    });
    expect(Object.keys(body)).toEqual(TOKEN_KEYS.withRefreshToken);
    expect(body.issued_at).toBe('1278448832702');
    expect(body.scope).toBe('api refresh_token');
    expect(body.signature).toBe(
      createHmac('sha256', 'secret').update('http://i/id/00D/0051278448832702').digest('base64'),
    );
  });

  it('leaves out issued_at and signature when there is no issue time (JWT bearer)', () => {
    const body = renderTokenResponse({ accessToken: 't', scopes: ['api'], instanceUrl: 'i', id: 'd' });
    expect(Object.keys(body)).toEqual(TOKEN_KEYS.jwtBearer);
  });

  it('signs with the secret as key', () => {
    expect(tokenSignature('a', '1', 'k')).not.toBe(tokenSignature('a', '1', 'other'));
  });
});

describe('PKCE S256', () => {
  it('matches the RFC 7636 appendix B example', () => {
    const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    expect(codeChallengeS256(verifier)).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    expect(verifyCodeChallenge(verifier, 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM')).toBe(true);
    expect(verifyCodeChallenge(`${verifier}x`, 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM')).toBe(false);
  });
});
