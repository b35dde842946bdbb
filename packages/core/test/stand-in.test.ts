/**
 * Answers no Salesforce application server gives, served by the scripted stand-in (fake-salesforce.ts
 * says why these are not the emulator's): edge HTML pages, a 2xx body that is not JSON, a body that
 * stalls after its headers, a body that trickles in.
 */
import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { rejectionOf } from '../../../test-support/requests.js';
import { OAuthError, ResponseError, ServerError, TimeoutError } from '../src/index.js';
import { useFakeSalesforce } from './support/setup.js';

const org = useFakeSalesforce();

const session = () => ({ accessToken: org.fake.issueToken(), instanceUrl: org.fake.url });

describe('answers from the edge, not from Salesforce', () => {
  it('turns a non-JSON failure of the token endpoint into an OAuthError that says what happened', async () => {
    org.fake.route('POST', '/services/oauth2/token', () => ({
      status: 503,
      headers: { 'content-type': 'text/html' },
      body: '<html><head><title>Service Unavailable</title></head><body>down</body></html>',
    }));
    const error = await rejectionOf(
      org.client().loginWithPassword({ username: 'alice@example.com', password: 'secret' }),
    );
    expect(error).toBeInstanceOf(OAuthError);
    expect(error).toMatchObject({ code: 'HTTP_503', status: 503 });
    expect(error.message).toContain('Service Unavailable');
    expect(org.fake.callsTo('POST', '/services/oauth2/token')).toBe(1);
  });

  it('gives a useful error for an HTML 503 page', async () => {
    org.fake.rest('GET', 'maintenance', () => ({
      status: 503,
      headers: { 'content-type': 'text/html', 'retry-after': '0' },
      body: '<html><head><title>Down for Maintenance</title></head></html>',
    }));
    const error = await rejectionOf(org.client(session()).request({ path: 'maintenance', maxRetries: 0 }));
    expect(error).toBeInstanceOf(ServerError);
    expect(error.message).toBe(
      'HTTP_503: HTTP response contains HTML content: Down for Maintenance (503 GET /services/data/v62.0/maintenance)',
    );
  });
});

describe('credentials echoed back', () => {
  it('scrubs the security token from what a login failure says, alone or after the password', async () => {
    const credentials = {
      username: 'alice@example.com',
      password: 'Pa55-word-1',
      securityToken: 'SECtok3n42',
    };
    org.fake.route('POST', '/services/oauth2/token', () => ({
      status: 400,
      body: {
        error: 'invalid_grant',
        error_description: 'token SECtok3n42 or Pa55-word-1SECtok3n42 refused',
      },
    }));
    org.fake.route('POST', '/services/Soap/u/62.0', () => ({
      status: 500,
      headers: { 'content-type': 'text/xml' },
      body:
        '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><soapenv:Fault>' +
        '<faultcode>INVALID_LOGIN</faultcode><faultstring>INVALID_LOGIN: SECtok3n42 is wrong</faultstring>' +
        '</soapenv:Fault></soapenv:Body></soapenv:Envelope>',
    }));
    const oauth = await rejectionOf(org.client().loginWithPassword(credentials));
    const soap = await rejectionOf(org.client().loginWithSoap(credentials));
    expect(oauth.message).toBe('invalid_grant: token [REDACTED] or [REDACTED] refused');
    expect(soap.message).toBe('INVALID_LOGIN: [REDACTED] is wrong');
  });
});

describe('broken answers', () => {
  it('reports a 2xx body that is not JSON as INVALID_RESPONSE', async () => {
    org.fake.rest('GET', 'not-json', () => ({ body: '<html>oops</html>' }));
    const error = await rejectionOf(org.client(session()).request({ path: 'not-json' }));
    expect(error).toBeInstanceOf(ResponseError);
    expect(error).toMatchObject({ code: 'INVALID_RESPONSE', status: 200 });
  });

  it('times out when the body stalls, with the client-wide timeout', async () => {
    org.fake.rest('GET', 'stall', () => ({ body: { partial: true }, stallBody: true }));
    const error = await rejectionOf(org.client({ ...session(), timeout: 150 }).request({ path: 'stall' }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(org.fake.callsTo('GET', 'stall')).toBe(1);
  });
});

describe('a slow body: the idle timeout against the total timeout', () => {
  /** 20 pieces, one every 40 ms: never quiet for 200 ms, but about 800 ms in all. */
  const slowBody = () => ({
    body: { records: Array.from({ length: 20 }, (_, i) => ({ Id: `001${String(i).padStart(15, '0')}` })) },
    trickle: { pieces: 20, everyMs: 40 },
  });

  it('never trips the idle timeout while pieces keep coming', async () => {
    org.fake.rest('GET', 'trickle', slowBody);
    const result = await org.client({ ...session(), timeout: 200 }).request<{ records: unknown[] }>({
      path: 'trickle',
    });
    expect(result.records).toHaveLength(20);
  });

  it('trips the total timeout, which counts the whole body', async () => {
    org.fake.rest('GET', 'trickle', slowBody);
    const client = org.client({ ...session(), timeout: 200, totalTimeout: 300 });
    const error = await rejectionOf(client.request({ path: 'trickle' }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({
      kind: 'total',
      timeout: 300,
      method: 'GET',
      path: '/services/data/v62.0/trickle',
    });
  });

  it('covers reading a raw body stream too', async () => {
    org.fake.rest('GET', 'trickle', slowBody);
    const response = await org.client({ ...session(), totalTimeout: 300 }).raw({ path: 'trickle' });
    expect(response.status).toBe(200);
    const error = await rejectionOf(text(response.body));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ kind: 'total', timeout: 300 });
  });
});
