import { ResponseError } from '../errors.js';
import type { Session } from '../session.js';
import type { AuthContext } from './oauth.js';

/** The identity URL's JSON (`GET <id URL>?format=json`), Salesforce's field names as sent. */
export interface Identity {
  readonly id: string;
  readonly user_id: string;
  readonly organization_id: string;
  readonly username: string;
  readonly display_name?: string;
  readonly nick_name?: string;
  readonly email?: string;
  readonly first_name?: string | null;
  readonly last_name?: string;
  readonly timezone?: string;
  readonly active?: boolean;
  readonly user_type?: string;
  readonly language?: string;
  readonly locale?: string;
  readonly utcOffset?: number;
  /** API endpoints for the user; `{version}` stands where a version goes. */
  readonly urls?: Readonly<Record<string, string>>;
  readonly [key: string]: unknown;
}

/** The OpenID Connect UserInfo JSON (`GET /services/oauth2/userinfo`). */
export interface UserInfo {
  /** The identity URL. */
  readonly sub: string;
  readonly user_id: string;
  readonly organization_id: string;
  readonly preferred_username?: string;
  readonly name?: string;
  readonly email?: string;
  readonly [key: string]: unknown;
}

/** The identity URL of a session; asks the REST API (`identity` of the version's resources) if unknown. */
async function identityUrlOf(ctx: AuthContext, session: Session): Promise<string> {
  if (session.idUrl !== undefined) return session.idUrl;
  const resources = (await ctx.send({ path: '', session }, 'json')) as { identity?: unknown } | undefined;
  if (typeof resources?.identity !== 'string') {
    throw new ResponseError(
      { method: 'GET', path: '/services/data/' },
      200,
      'the resources list names no identity URL',
    );
  }
  return resources.identity;
}

export async function fetchIdentity(ctx: AuthContext, session: Session): Promise<Identity> {
  const idUrl = await identityUrlOf(ctx, session);
  return (await ctx.send({ path: idUrl, query: { format: 'json' }, session }, 'json')) as Identity;
}

/** UserInfo is served by the host that issued the session (the identity URL's), else the login URL. */
export async function fetchUserInfo(ctx: AuthContext, session: Session): Promise<UserInfo> {
  const host = session.idUrl === undefined ? ctx.options.loginUrl : new URL(session.idUrl).origin;
  return (await ctx.send({ path: `${host}/services/oauth2/userinfo`, session }, 'json')) as UserInfo;
}
