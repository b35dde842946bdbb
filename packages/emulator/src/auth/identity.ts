import { HttpError, type RequestContext } from '../http/context.js';
import type { Org } from '../org.js';
import { sessionTokenOf } from './headers.js';
import type { Session } from './sessions.js';
import type { EmulatorUser } from './users.js';

/**
 * The identity service answers a bad token with 403 and a plain-text code, not the REST 401 array:
 * `Bad_OAuth_Token`; a token of another org gets `Wrong_Org`, an unknown user `Bad_Id`.
 */
function identityError(status: number, code: string): HttpError {
  return new HttpError(status, code, { 'Content-Type': 'text/plain;charset=UTF-8' });
}

/** The session behind `Authorization: Bearer|OAuth <token>` or `?oauth_token=`, for the identity service. */
function identitySession(ctx: RequestContext, org: Org): Session {
  const token = sessionTokenOf(ctx.header('authorization')) ?? ctx.query.get('oauth_token') ?? undefined;
  const lookup = token === undefined ? undefined : org.sessions.use(token);
  if (lookup?.kind !== 'valid') throw identityError(403, 'Bad_OAuth_Token');
  return lookup.session;
}

/** `GET <login URL>/id/<orgId>/<userId>`: who the user is and where the org's APIs live. */
export async function handleIdentity(ctx: RequestContext, org: Org): Promise<void> {
  identitySession(ctx, org);
  const orgId = ctx.params.orgId as string;
  const userId = ctx.params.userId as string;
  if (!sameId(orgId, org.organizationId)) throw identityError(403, 'Wrong_Org');
  const user = org.users.all().find((candidate) => sameId(userId, candidate.id));
  if (!user) throw identityError(404, 'Bad_Id');
  await ctx.sendJson(200, identityDocument(org, user, ctx.query.get('version')));
}

/** `GET|POST /services/oauth2/userinfo`: the OpenID Connect view of the token's own user. */
export async function handleUserInfo(ctx: RequestContext, org: Org): Promise<void> {
  const session = identitySession(ctx, org);
  const user = org.users.get(session.userId);
  if (!user) throw identityError(403, 'Bad_OAuth_Token');
  await ctx.sendJson(200, userInfoDocument(org, user));
}

/** The identity document, keys in the order of a captured response. */
export function identityDocument(
  org: Org,
  user: EmulatorUser,
  version: string | null,
): Record<string, unknown> {
  return {
    id: org.identityUrl(user.id),
    asserted_user: true,
    user_id: user.id,
    organization_id: org.organizationId,
    username: user.username,
    nick_name: nickName(user),
    display_name: displayName(user),
    email: user.email,
    email_verified: true,
    first_name: user.firstName,
    last_name: user.lastName,
    timezone: user.timeZone,
    photos: photos(org),
    addr_street: null,
    addr_city: null,
    addr_state: null,
    addr_country: 'US',
    addr_zip: null,
    mobile_phone: null,
    mobile_phone_verified: false,
    is_lightning_login_user: false,
    status: { created_date: null, body: null },
    urls: urls(org, user, resolveVersion(org, version)),
    active: user.isActive,
    user_type: 'STANDARD',
    language: user.language,
    locale: user.locale,
    utcOffset: utcOffsetMs(user.timeZone),
    last_modified_date: isoSeconds(user.createdAt),
    is_app_installed: true,
  };
}

export function userInfoDocument(org: Org, user: EmulatorUser): Record<string, unknown> {
  const photo = photos(org);
  return {
    sub: org.identityUrl(user.id),
    user_id: user.id,
    organization_id: org.organizationId,
    preferred_username: user.username,
    nickname: nickName(user),
    name: displayName(user),
    email: user.email,
    email_verified: true,
    given_name: user.firstName,
    family_name: user.lastName,
    zoneinfo: user.timeZone,
    photos: photo,
    profile: `${org.url}/${user.id}`,
    picture: photo.picture,
    address: { country: 'US' },
    is_salesforce_integration_user: false,
    urls: urls(org, user, '{version}'),
    active: user.isActive,
    user_type: 'STANDARD',
    language: user.language,
    locale: user.locale,
    utcOffset: utcOffsetMs(user.timeZone),
    updated_at: isoSeconds(user.createdAt),
    is_app_installed: true,
  };
}

function urls(org: Org, user: EmulatorUser, version: string): Record<string, string> {
  const base = org.url;
  const orgId15 = org.organizationId.slice(0, 15);
  const rest = `${base}/services/data/v${version}`;
  return {
    enterprise: `${base}/services/Soap/c/${version}/${orgId15}`,
    metadata: `${base}/services/Soap/m/${version}/${orgId15}`,
    partner: `${base}/services/Soap/u/${version}/${orgId15}`,
    rest: `${rest}/`,
    sobjects: `${rest}/sobjects/`,
    search: `${rest}/search/`,
    query: `${rest}/query/`,
    recent: `${rest}/recent/`,
    tooling_soap: `${base}/services/Soap/T/${version}/${orgId15}`,
    tooling_rest: `${rest}/tooling/`,
    profile: `${base}/${user.id}`,
    feeds: `${rest}/chatter/feeds`,
    groups: `${rest}/chatter/groups`,
    users: `${rest}/chatter/users`,
    feed_items: `${rest}/chatter/feed-items`,
    feed_elements: `${rest}/chatter/feed-elements`,
    custom_domain: base,
  };
}

/** Without `?version=` the URLs keep the literal `{version}`; `latest` means the newest version. */
function resolveVersion(org: Org, version: string | null): string {
  if (version === null || version === '') return '{version}';
  return version.toLowerCase() === 'latest' ? org.apiVersion : version;
}

function photos(org: Org): { picture: string; thumbnail: string } {
  return { picture: `${org.url}/profilephoto/005/F`, thumbnail: `${org.url}/profilephoto/005/T` };
}

function displayName(user: EmulatorUser): string {
  return [user.firstName, user.lastName].filter(Boolean).join(' ');
}

function nickName(user: EmulatorUser): string {
  return `${user.username.split('@')[0]}.${user.createdAt}`;
}

function sameId(a: string, b: string): boolean {
  return a.slice(0, 15) === b.slice(0, 15);
}

/** The zone's standard offset from UTC in ms (January, so daylight saving does not move it). */
function utcOffsetMs(timeZone: string): number {
  try {
    const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
      .formatToParts(Date.UTC(new Date().getUTCFullYear(), 0, 1))
      .find((part) => part.type === 'timeZoneName')?.value;
    const match = name === undefined ? null : /GMT([+-])(\d{2}):(\d{2})/.exec(name);
    if (!match) return 0;
    const sign = match[1] === '-' ? -1 : 1;
    return sign * (Number(match[2]) * 60 + Number(match[3])) * 60_000;
  } catch {
    return 0;
  }
}

function isoSeconds(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 19)}Z`;
}
