import { describe, expect, it } from 'vitest';
import {
  ApiError,
  BadRequestError,
  ConcurrentLimitError,
  DailyLimitError,
  ForbiddenError,
  InvalidSessionError,
  NotFoundError,
  OAuthError,
  RateLimitError,
  RecordLockedError,
  ServerError,
  SoapFaultError,
} from '../errors.js';
import { type ErrorResponse, errorFromResponse, scrub } from './response-errors.js';

const target = { method: 'GET', path: '/services/data/v62.0/sobjects/Account/001' };

function fromBody(status: number, text: string, extra: Partial<ErrorResponse> = {}) {
  return errorFromResponse({
    status,
    statusText: '',
    contentType: 'application/json;charset=UTF-8',
    text,
    target,
    requestId: undefined,
    retryAfterMs: undefined,
    secrets: [],
    ...extra,
  });
}

const rest = (errorCode: string, message: string) => JSON.stringify([{ message, errorCode }]);

describe('errorFromResponse', () => {
  it('chooses the class by status and errorCode together', () => {
    const cases: [number, string, string, new (...args: never[]) => ApiError][] = [
      [400, 'MALFORMED_QUERY', "unexpected token: 'invalid'", BadRequestError],
      [401, 'INVALID_SESSION_ID', 'Session expired or invalid', InvalidSessionError],
      [403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.', DailyLimitError],
      [
        403,
        'REQUEST_LIMIT_EXCEEDED',
        'ConcurrentRequests (Concurrent API Requests) Limit exceeded.',
        ConcurrentLimitError,
      ],
      [403, 'INSUFFICIENT_ACCESS', 'insufficient access rights on object id', ForbiddenError],
      [404, 'NOT_FOUND', 'The requested resource does not exist', NotFoundError],
      [400, 'UNABLE_TO_LOCK_ROW', 'unable to obtain exclusive access to this record', RecordLockedError],
      [429, 'TOO_MANY', 'slow down', RateLimitError],
      [500, 'UNKNOWN_EXCEPTION', 'An unexpected error occurred.', ServerError],
    ];
    for (const [status, errorCode, message, ErrorClass] of cases) {
      const error = fromBody(status, rest(errorCode, message));
      expect(error, errorCode).toBeInstanceOf(ErrorClass);
      expect(error.code).toBe(errorCode);
      expect((error as ApiError).status).toBe(status);
    }
  });

  it('keeps the whole error list with fields, method and path', () => {
    const error = fromBody(
      400,
      JSON.stringify([
        {
          message: 'Required fields are missing: [LastName]',
          errorCode: 'REQUIRED_FIELD_MISSING',
          fields: ['LastName'],
        },
        { message: 'bad email', errorCode: 'INVALID_EMAIL_ADDRESS', fields: ['Email'] },
      ]),
      { requestId: 'req-123' },
    ) as ApiError;
    expect(error.errors).toEqual([
      {
        errorCode: 'REQUIRED_FIELD_MISSING',
        message: 'Required fields are missing: [LastName]',
        fields: ['LastName'],
      },
      { errorCode: 'INVALID_EMAIL_ADDRESS', message: 'bad email', fields: ['Email'] },
    ]);
    expect(error).toMatchObject({ method: 'GET', path: target.path, requestId: 'req-123' });
    expect(error.message).toBe(
      'REQUIRED_FIELD_MISSING: Required fields are missing: [LastName] (400 GET /services/data/v62.0/sobjects/Account/001)',
    );
  });

  it('reads an OAuth error body as an OAuthError', () => {
    const error = fromBody(400, '{"error":"invalid_grant","error_description":"authentication failure"}');
    expect(error).toBeInstanceOf(OAuthError);
    expect(error).toMatchObject({
      code: 'invalid_grant',
      errorDescription: 'authentication failure',
      status: 400,
    });
  });

  it('reads a SOAP fault, dropping the namespace prefix of the code', () => {
    const xml =
      '<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>' +
      '<soapenv:Fault><faultcode>sf:INVALID_SESSION_ID</faultcode><faultstring>INVALID_SESSION_ID: Invalid Session ID found in SessionHeader: Illegal Session</faultstring>' +
      '</soapenv:Fault></soapenv:Body></soapenv:Envelope>';
    const error = fromBody(500, xml, { contentType: 'text/xml' });
    expect(error).toBeInstanceOf(SoapFaultError);
    expect(error).toMatchObject({ code: 'INVALID_SESSION_ID', status: 500 });
    expect(error.message).toBe(
      'INVALID_SESSION_ID: Invalid Session ID found in SessionHeader: Illegal Session',
    );
  });

  it('reads a Bulk 1.0 XML error', () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?><error xmlns="http://www.force.com/2009/06/asyncapi/dataload">' +
      '<exceptionCode>InvalidSessionId</exceptionCode><exceptionMessage>Invalid session id</exceptionMessage></error>';
    const error = fromBody(400, xml, { contentType: 'application/xml' }) as ApiError;
    expect(error.errors).toEqual([
      { errorCode: 'InvalidSessionId', message: 'Invalid session id', fields: [] },
    ]);
  });

  it('gives a useful error for an HTML 503 page from the edge', () => {
    const html =
      '<!DOCTYPE html><html><head><title>Maintenance in progress</title></head><body>...</body></html>';
    const error = fromBody(503, html, { contentType: 'text/html' }) as ApiError;
    expect(error).toBeInstanceOf(ServerError);
    expect(error.code).toBe('HTTP_503');
    expect(error.message).toContain('HTML content: Maintenance in progress');
    expect(error.errors).toEqual([]);
  });

  it('gives the status text for an empty body and the text for a plain one', () => {
    expect(fromBody(502, '', { statusText: 'Bad Gateway' }).message).toBe(
      `HTTP_502: Bad Gateway (502 GET ${target.path})`,
    );
    expect(fromBody(418, 'no coffee here', { contentType: 'text/plain' }).message).toContain(
      'no coffee here',
    );
  });

  it('turns the upsert 300 list of URLs into MULTIPLE_CHOICES entries', () => {
    const error = fromBody(
      300,
      '["/services/data/v62.0/sobjects/Account/001A","/services/data/v62.0/sobjects/Account/001B"]',
    );
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).errors.map((e) => e.errorCode)).toEqual([
      'MULTIPLE_CHOICES',
      'MULTIPLE_CHOICES',
    ]);
  });

  it('scrubs secrets the server echoed back', () => {
    const error = fromBody(400, rest('INVALID_FIELD', 'bad value 00Dtoken!SECRET for field'), {
      secrets: ['00Dtoken!SECRET'],
    });
    expect(error.message).not.toContain('00Dtoken!SECRET');
    expect(error.message).toContain('[REDACTED]');
  });
});

describe('scrub', () => {
  it('replaces every occurrence and ignores values too short to be secrets', () => {
    expect(scrub('a-secret and a-secret', ['a-secret', 'a'])).toBe('[REDACTED] and [REDACTED]');
  });
});
