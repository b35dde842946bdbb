import { AuthError, type RequestTarget, ResponseError } from '../errors.js';
import { escapeXml, xmlText } from '../internal/xml.js';
import type { Session } from '../session.js';
import { type AuthContext, checkCredentials, type PasswordCredentials } from './oauth.js';

const ENVELOPE_OPEN =
  '<?xml version="1.0" encoding="utf-8"?>' +
  '<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">';

/** The partner API endpoint, `/services/Soap/u/NN.N`. */
export function soapPath(version: string): string {
  return `/services/Soap/u/${version}`;
}

export function soapLoginEnvelope(username: string, password: string): string {
  return (
    `${ENVELOPE_OPEN}<env:Body><login xmlns="urn:partner.soap.sforce.com">` +
    `<username>${escapeXml(username)}</username><password>${escapeXml(password)}</password>` +
    '</login></env:Body></env:Envelope>'
  );
}

export function soapLogoutEnvelope(sessionId: string): string {
  return (
    `${ENVELOPE_OPEN}<env:Header><SessionHeader xmlns="urn:partner.soap.sforce.com">` +
    `<sessionId>${escapeXml(sessionId)}</sessionId></SessionHeader></env:Header>` +
    '<env:Body><logout xmlns="urn:partner.soap.sforce.com"/></env:Body></env:Envelope>'
  );
}

/** Reads a `loginResponse` into a session; the identity URL is built on the login host, as OAuth gives it. */
export function sessionFromSoapLogin(xml: string, loginUrl: string, target: RequestTarget): Session {
  const serverUrl = xmlText(xml, 'serverUrl');
  const sessionId = xmlText(xml, 'sessionId');
  const userId = xmlText(xml, 'userId');
  const organizationId = xmlText(xml, 'organizationId');
  if (
    serverUrl === undefined ||
    sessionId === undefined ||
    userId === undefined ||
    organizationId === undefined
  ) {
    throw new ResponseError(
      target,
      200,
      'the SOAP login response lacks serverUrl, sessionId, userId or organizationId',
    );
  }
  if (xmlText(xml, 'passwordExpired') === 'true') {
    // Such a session can only call setPassword(); handing it out would fail every later request.
    throw new AuthError(
      'PASSWORD_EXPIRED',
      'The password has expired: reset it before logging in through the API',
    );
  }
  return {
    accessToken: sessionId,
    instanceUrl: new URL(serverUrl).origin,
    idUrl: `${loginUrl}/id/${organizationId}/${userId}`,
    userId,
    organizationId,
    grant: 'soap',
  };
}

const XML_HEADERS = { 'content-type': 'text/xml; charset=UTF-8', accept: 'text/xml' } as const;

/** SOAP partner `login()` on the login URL: the session, or a `SoapFaultError` (`INVALID_LOGIN`). */
export async function soapLogin(ctx: AuthContext, credentials: PasswordCredentials): Promise<Session> {
  const { username, password, securityToken } = checkCredentials(credentials);
  const fullPassword = password + (securityToken ?? '');
  const path = soapPath(ctx.options.version);
  const xml = (await ctx.send(
    {
      method: 'POST',
      path: ctx.options.loginUrl + path,
      body: soapLoginEnvelope(username, fullPassword),
      headers: { ...XML_HEADERS, soapaction: 'login' },
    },
    'text',
    { secrets: [fullPassword, password, ...(securityToken === undefined ? [] : [securityToken])] },
  )) as string;
  return sessionFromSoapLogin(xml, ctx.options.loginUrl, { method: 'POST', path });
}

/** SOAP partner `logout()` on the session's instance: the session ends on the server. */
export async function soapLogout(ctx: AuthContext, session: Session): Promise<void> {
  await ctx.send(
    {
      method: 'POST',
      path: soapPath(ctx.options.version),
      body: soapLogoutEnvelope(session.accessToken),
      headers: { ...XML_HEADERS, soapaction: 'logout' },
      session,
    },
    'text',
  );
}
