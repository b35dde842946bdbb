import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import { bearer, request } from './support/http.js';
import { elementText, loginEnvelope, logoutEnvelope, postSoap } from './support/soap.js';

let emulator: Emulator;
let endpoint: string;

beforeAll(async () => {
  emulator = await startEmulator();
  endpoint = `${emulator.loginUrl}/services/Soap/u/62.0`;
});

afterAll(async () => {
  await emulator.stop();
});

function validLogin() {
  const c = emulator.credentials;
  return postSoap(endpoint, loginEnvelope(c.username, c.password + c.securityToken));
}

describe('SOAP partner login', () => {
  it('answers a loginResponse whose sessionId works as a REST bearer token', async () => {
    const res = await validLogin();
    expect(res.status).toBe(200);
    expect(res.contentType).toMatch(/^text\/xml/);
    expect(res.xml).toContain('xmlns="urn:partner.soap.sforce.com"');
    const orgId15 = emulator.org.organizationId.slice(0, 15);
    expect(elementText(res.xml, 'serverUrl')).toBe(`${emulator.url}/services/Soap/u/62.0/${orgId15}`);
    expect(elementText(res.xml, 'userId')).toBe(emulator.credentials.userId);
    expect(elementText(res.xml, 'organizationId')).toBe(emulator.org.organizationId);
    expect(elementText(res.xml, 'sessionSecondsValid')).toBe('7200');
    const sessionId = elementText(res.xml, 'sessionId') as string;
    const rest = await request(`${emulator.url}/services/data/v62.0/limits`, { headers: bearer(sessionId) });
    expect(rest.status).toBe(200);
  });

  it('answers the enterprise endpoint in the enterprise namespace', async () => {
    const c = emulator.credentials;
    const res = await postSoap(
      `${emulator.loginUrl}/services/Soap/c/62.0`,
      loginEnvelope(c.username, c.password + c.securityToken),
    );
    expect(res.status).toBe(200);
    expect(res.xml).toContain('xmlns="urn:enterprise.soap.sforce.com"');
    expect(elementText(res.xml, 'serverUrl')).toContain('/services/Soap/c/62.0/');
  });

  it('answers a bad password with the INVALID_LOGIN fault and HTTP 500', async () => {
    const res = await postSoap(endpoint, loginEnvelope(emulator.credentials.username, 'wrong'));
    expect(res.status).toBe(500);
    expect(elementText(res.xml, 'faultcode')).toBe('INVALID_LOGIN');
    expect(elementText(res.xml, 'faultstring')).toBe(
      'INVALID_LOGIN: Invalid username, password, security token; or user locked out.',
    );
    expect(res.xml).toContain('<sf:LoginFault xsi:type="sf:LoginFault">');
  });

  it('refuses a deactivated user as an invalid login', async () => {
    const user = emulator.org.createUser();
    emulator.org.users.setActive(user.userId, false);
    const res = await postSoap(endpoint, loginEnvelope(user.username, user.password + user.securityToken));
    expect(elementText(res.xml, 'faultcode')).toBe('INVALID_LOGIN');
  });

  it('answers a version it does not serve with UNSUPPORTED_API_VERSION', async () => {
    const c = emulator.credentials;
    const res = await postSoap(
      `${emulator.loginUrl}/services/Soap/u/99.0`,
      loginEnvelope(c.username, c.password + c.securityToken),
    );
    expect(res.status).toBe(500);
    expect(elementText(res.xml, 'faultcode')).toBe('sf:UNSUPPORTED_API_VERSION');
  });

  it('answers a malformed envelope and an unsupported operation with faults', async () => {
    const garbage = await postSoap(endpoint, 'not xml at all');
    expect(garbage.status).toBe(500);
    expect(elementText(garbage.xml, 'faultcode')).toBe('soapenv:Client');
    const query = await postSoap(
      endpoint,
      '<se:Envelope xmlns:se="http://schemas.xmlsoap.org/soap/envelope/"><se:Body><query xmlns="urn:partner.soap.sforce.com"><queryString>SELECT Id FROM Account</queryString></query></se:Body></se:Envelope>',
    );
    expect(query.status).toBe(500);
    expect(elementText(query.xml, 'faultcode')).toBe('sf:UNKNOWN_EXCEPTION');
  });
});

describe('SOAP logout', () => {
  it('ends the session at the serverUrl; the token then gets the REST 401', async () => {
    const login = await validLogin();
    const sessionId = elementText(login.xml, 'sessionId') as string;
    const serverUrl = elementText(login.xml, 'serverUrl') as string;
    const logout = await postSoap(serverUrl, logoutEnvelope(sessionId));
    expect(logout.status).toBe(200);
    expect(logout.xml).toContain('<logoutResponse/>');
    const rest = await request(`${emulator.url}/services/data/v62.0/limits`, { headers: bearer(sessionId) });
    expect(rest.status).toBe(401);
  });

  it('answers an unknown session with the INVALID_SESSION_ID fault', async () => {
    const res = await postSoap(endpoint, logoutEnvelope('00Dnope!AQnope'));
    expect(res.status).toBe(500);
    expect(elementText(res.xml, 'faultcode')).toBe('sf:INVALID_SESSION_ID');
    expect(elementText(res.xml, 'faultstring')).toBe(
      'INVALID_SESSION_ID: Invalid Session ID found in SessionHeader: Illegal Session',
    );
  });
});
