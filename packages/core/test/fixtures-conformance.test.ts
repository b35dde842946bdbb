/**
 * Responses recorded from real orgs (../shared/fixtures, see SOURCES.md), served byte for byte, must come
 * out of the client as the right sessions and errors. The folder lives beside the repository, not in it:
 * without it this one file is skipped, saying why.
 */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { recordedFixtures } from '../../../test-support/fixtures.js';
import { rejectionOf } from '../../../test-support/requests.js';
import {
  ApiError,
  BadRequestError,
  DailyLimitError,
  InvalidSessionError,
  NotFoundError,
  OAuthError,
  SoapFaultError,
} from '../src/index.js';
import { useFakeSalesforce } from './support/setup.js';

const fixtures = recordedFixtures(import.meta.url);

describe.skipIf(!fixtures.present)('recorded Salesforce responses', () => {
  const org = useFakeSalesforce();
  const credentials = { username: 'alice@example.com', password: 'alice-Pa55word' };

  /** Any RSA key: the recorded answer comes back whatever the assertion says. */
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 1024,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });

  function tokenEndpointAnswers(status: number, name: string): void {
    org.fake.route('POST', '/services/oauth2/token', () => ({
      status,
      headers: { 'content-type': 'application/json;charset=UTF-8' },
      body: fixtures.text(name),
    }));
  }

  it('reads the password grant response (old shape: no token_type, no scope)', async () => {
    tokenEndpointAnswers(200, 'oauth/password_grant_success.json');
    const session = await org.client({ mode: 'multi' }).loginWithPassword(credentials);
    expect(session).toEqual({
      accessToken: fixtures.json<{ access_token: string }>('oauth/password_grant_success.json').access_token,
      instanceUrl: 'https://na1.salesforce.com',
      idUrl: 'https://login.salesforce.com/id/00Dx0000000BV7z/005x00000012Q9P',
      userId: '005x00000012Q9P',
      organizationId: '00Dx0000000BV7z',
      issuedAt: 1278448832702,
      grant: 'password',
    });
  });

  it('reads the JWT bearer response (no issued_at, signature or refresh_token)', async () => {
    tokenEndpointAnswers(200, 'oauth/jwt_bearer_success.json');
    const session = await org
      .client({ mode: 'multi', privateKey })
      .loginWithJwt({ username: credentials.username });
    expect(session).toMatchObject({
      instanceUrl: 'https://mohansun-ea-02-dev-ed.my.salesforce.com',
      userId: '0053h000002xQ5sAAE',
      organizationId: '00D3h000007R1LuEAK',
      scope: 'web id api',
      tokenType: 'Bearer',
    });
    expect(session.issuedAt).toBeUndefined();
  });

  it.each([
    ['oauth/error_invalid_client_id.json', 'invalid_client_id', 'client identifier invalid'],
    [
      'oauth/error_invalid_grant_authentication_failure.json',
      'invalid_grant',
      'authentication failure - Invalid Password',
    ],
    ['oauth/error_invalid_grant_expired_refresh_token.json', 'invalid_grant', 'expired access/refresh token'],
  ])('maps %s to an OAuthError', async (name, code, description) => {
    tokenEndpointAnswers(400, name);
    const error = await rejectionOf(org.client().loginWithPassword(credentials));
    expect(error).toBeInstanceOf(OAuthError);
    expect(error).toMatchObject({ code, errorDescription: description, status: 400 });
  });

  it('reads the identity response', async () => {
    const body = fixtures.text('oauth/identity_response.json');
    org.fake.route('GET', '/id/00Di0000000bAAAAAAA/005i00000016AAAAAA', () => ({
      headers: { 'content-type': 'application/json;charset=UTF-8' },
      body,
    }));
    const identity = await org.client({ mode: 'multi' }).identity({
      accessToken: org.fake.issueToken(),
      instanceUrl: org.fake.url,
      idUrl: `${org.fake.url}/id/00Di0000000bAAAAAAA/005i00000016AAAAAA`,
    });
    expect(identity).toEqual(JSON.parse(body));
    expect(identity.urls?.rest).toContain('/services/data/v{version}/');
  });

  it('reads a SOAP loginResponse', async () => {
    org.fake.route('POST', '/services/Soap/u/62.0', () => ({
      headers: { 'content-type': 'text/xml;charset=UTF-8' },
      body: fixtures.text('soap/login_response_enterprise.xml'),
    }));
    const session = await org.client({ mode: 'multi' }).loginWithSoap(credentials);
    expect(session).toEqual({
      accessToken: '12345',
      instanceUrl: 'https://na15.salesforce.com',
      idUrl: `${org.fake.url}/id/00Di0000000icUBEAY/005i0000002MUqLAAW`,
      userId: '005i0000002MUqLAAW',
      organizationId: '00Di0000000icUBEAY',
      grant: 'soap',
    });
  });

  it('throws the SOAP login fault', async () => {
    org.fake.route('POST', '/services/Soap/u/62.0', () => ({
      status: 500,
      headers: { 'content-type': 'text/xml;charset=UTF-8' },
      body: fixtures.text('soap/login_fault_invalid_login.xml'),
    }));
    const error = await rejectionOf(org.client().loginWithSoap(credentials));
    expect(error).toBeInstanceOf(SoapFaultError);
    expect(error).toMatchObject({
      code: 'INVALID_LOGIN',
      message: 'INVALID_LOGIN: Invalid username, password, security token; or user locked out.',
    });
  });

  it.each([
    ['errors/invalid_session_id_401.json', 401, InvalidSessionError, 'INVALID_SESSION_ID'],
    ['errors/not_found_404.json', 404, NotFoundError, 'NOT_FOUND'],
    ['errors/invalid_field_400.json', 400, BadRequestError, 'INVALID_FIELD'],
    ['errors/malformed_query_400.json', 400, BadRequestError, 'MALFORMED_QUERY'],
    ['errors/required_field_missing_collections_delete.json', 400, BadRequestError, 'REQUIRED_FIELD_MISSING'],
    ['errors/request_limit_exceeded_403.json', 403, DailyLimitError, 'REQUEST_LIMIT_EXCEEDED'],
    ['bulk2/error_invalidjobstate_abort_completed.json', 400, BadRequestError, 'INVALIDJOBSTATE'],
    ['bulk2/error_job_not_complete_412.json', 412, ApiError, 'JOB_NOT_COMPLETE'],
  ] as const)('maps %s (HTTP %i) to its error class', async (name, status, ErrorClass, code) => {
    const body = fixtures.text(name);
    org.fake.rest('GET', `fixture/${status}/${code}`, () => ({
      status,
      headers: { 'content-type': 'application/json;charset=UTF-8' },
      body,
    }));
    const client = org.client({ accessToken: org.fake.issueToken(), instanceUrl: org.fake.url });
    const error = await rejectionOf(client.request({ path: `fixture/${status}/${code}` }));
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toMatchObject({ code, status, errors: [{ ...JSON.parse(body)[0], fields: [] }] });
  });
});
