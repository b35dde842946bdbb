import { newAuthorizationCode } from './secrets.js';

export interface AuthorizationCodeGrant {
  readonly code: string;
  readonly clientId: string;
  readonly userId: string;
  readonly redirectUri: string;
  readonly scopes: readonly string[];
  /** The PKCE challenge sent to `/authorize`, if any. */
  readonly codeChallenge: string | undefined;
  readonly issuedAt: number;
}

export type CodeRedemption =
  | { readonly kind: 'valid'; readonly grant: AuthorizationCodeGrant }
  | { readonly kind: 'expired' }
  | { readonly kind: 'unknown' };

/** Salesforce's authorization codes are valid for 15 minutes. */
export const AUTHORIZATION_CODE_TTL_MS = 15 * 60 * 1000;

/** Authorization codes between `/authorize` and the token endpoint: short-lived and single-use. */
export class AuthorizationCodes {
  readonly #now: () => number;
  readonly #codes = new Map<string, AuthorizationCodeGrant>();

  constructor(now: () => number) {
    this.#now = now;
  }

  issue(grant: Omit<AuthorizationCodeGrant, 'code' | 'issuedAt'>): string {
    const code = newAuthorizationCode();
    this.#codes.set(code, { ...grant, code, issuedAt: this.#now() });
    return code;
  }

  /**
   * Takes a code out of circulation and says whether it was good. A code is used up by its first
   * redemption attempt, even a failed one, so a code cannot be replayed.
   */
  redeem(code: string): CodeRedemption {
    const grant = this.#codes.get(code);
    if (!grant) return { kind: 'unknown' };
    this.#codes.delete(code);
    if (this.#now() - grant.issuedAt >= AUTHORIZATION_CODE_TTL_MS) return { kind: 'expired' };
    return { kind: 'valid', grant };
  }

  clear(): void {
    this.#codes.clear();
  }
}
