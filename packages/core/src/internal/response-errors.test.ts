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

/**
 * Error bodies that are not REST's flat array, as Salesforce documents and sends them (the bodies are
 * the documented ones, see ../shared/salesforce-protocol.md sections 1, 3.8-3.11, 4 and 5).
 */
describe('errorFromResponse on non-array error bodies', () => {
  it("reads sObject Tree's 400 {hasErrors, results} into errors with each record's referenceId", () => {
    const body = JSON.stringify({
      hasErrors: true,
      results: [
        {
          referenceId: 'ref2',
          errors: [
            {
              statusCode: 'INVALID_EMAIL_ADDRESS',
              message: 'Email: invalid email address: 123',
              fields: ['Email'],
            },
          ],
        },
        {
          referenceId: 'ref3',
          errors: [
            {
              statusCode: 'REQUIRED_FIELD_MISSING',
              message: 'Required fields are missing: [LastName]',
              fields: ['LastName'],
            },
            { statusCode: 'STRING_TOO_LONG', message: 'Title: data value too large', fields: ['Title'] },
          ],
        },
      ],
    });
    const error = fromBody(400, body) as ApiError;
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.code).toBe('INVALID_EMAIL_ADDRESS');
    expect(error.errors).toEqual([
      {
        errorCode: 'INVALID_EMAIL_ADDRESS',
        message: 'Email: invalid email address: 123',
        fields: ['Email'],
        referenceId: 'ref2',
      },
      {
        errorCode: 'REQUIRED_FIELD_MISSING',
        message: 'Required fields are missing: [LastName]',
        fields: ['LastName'],
        referenceId: 'ref3',
      },
      {
        errorCode: 'STRING_TOO_LONG',
        message: 'Title: data value too large',
        fields: ['Title'],
        referenceId: 'ref3',
      },
    ]);
    expect(error.message).toBe(
      `INVALID_EMAIL_ADDRESS: Email: invalid email address: 123 (400 GET ${target.path})`,
    );
  });

  it('reads a Bulk 2.0 / REST error that comes as one object instead of an array', () => {
    const error = fromBody(
      412,
      '{"errorCode":"JOB_NOT_COMPLETE","message":"can only download query results of successfully completed bulk job with status: JOB_COMPLETE. Current status: IN_PROGRESS"}',
    ) as ApiError;
    expect(error.code).toBe('JOB_NOT_COMPLETE');
    expect(error.errors).toEqual([
      {
        errorCode: 'JOB_NOT_COMPLETE',
        message:
          'can only download query results of successfully completed bulk job with status: JOB_COMPLETE. Current status: IN_PROGRESS',
        fields: [],
      },
    ]);
  });

  it('reads a Bulk 1.0 JSON error {exceptionCode, exceptionMessage}', () => {
    const error = fromBody(
      400,
      '{"exceptionCode":"InvalidJob","exceptionMessage":"Invalid job id: 750x"}',
    ) as ApiError;
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.errors).toEqual([{ errorCode: 'InvalidJob', message: 'Invalid job id: 750x', fields: [] }]);
  });

  it("reads the errors nested in a composite request's subresponses, with their referenceId", () => {
    const body = JSON.stringify({
      compositeResponse: [
        {
          body: [
            {
              message: 'Email: invalid email address: Not a real email address',
              errorCode: 'INVALID_EMAIL_ADDRESS',
              fields: ['Email'],
            },
          ],
          httpHeaders: {},
          httpStatusCode: 400,
          referenceId: 'newContact',
        },
        {
          body: [
            {
              errorCode: 'PROCESSING_HALTED',
              message:
                'The transaction was rolled back since another operation in the same transaction failed.',
            },
          ],
          httpHeaders: {},
          httpStatusCode: 400,
          referenceId: 'NewAccount',
        },
      ],
    });
    const error = fromBody(400, body) as ApiError;
    expect(error.errors.map((e) => [e.errorCode, e.referenceId])).toEqual([
      ['INVALID_EMAIL_ADDRESS', 'newContact'],
      ['PROCESSING_HALTED', 'NewAccount'],
    ]);
    expect(error.errors[0]?.fields).toEqual(['Email']);
  });

  it("reads the errors of a composite batch's results, skipping the successful ones", () => {
    const body = JSON.stringify({
      hasErrors: true,
      results: [
        { statusCode: 204, result: null },
        { statusCode: 400, result: [{ errorCode: 'MALFORMED_ID', message: 'malformed id 001bad' }] },
        {
          statusCode: 412,
          result: [{ errorCode: 'BATCH_PROCESSING_HALTED', message: 'Batch processing halted per request' }],
        },
      ],
    });
    const error = fromBody(400, body) as ApiError;
    expect(error.errors).toEqual([
      { errorCode: 'MALFORMED_ID', message: 'malformed id 001bad', fields: [] },
      { errorCode: 'BATCH_PROCESSING_HALTED', message: 'Batch processing halted per request', fields: [] },
    ]);
  });

  it("reads sObject Collections' per-record results (statusCode spelling), skipping empty error lists", () => {
    const body = JSON.stringify([
      { id: '001xx0000004GxDAAU', success: false, errors: [] },
      {
        success: false,
        errors: [
          {
            statusCode: 'MALFORMED_ID',
            message: 'Contact ID: id value of incorrect type: 001xx0000004GxEAAU',
            fields: ['Id'],
          },
        ],
      },
    ]);
    const error = fromBody(400, body) as ApiError;
    expect(error.errors).toEqual([
      {
        errorCode: 'MALFORMED_ID',
        message: 'Contact ID: id value of incorrect type: 001xx0000004GxEAAU',
        fields: ['Id'],
      },
    ]);
  });

  it('reads an OAuth {error} as an expired session when it refuses a signed request with 401', () => {
    const body = '{"error":"invalid_token","error_description":"Access token expired"}';
    const signed = fromBody(401, body, { signed: true }) as ApiError;
    expect(signed).toBeInstanceOf(InvalidSessionError);
    expect(signed.errors).toEqual([
      { errorCode: 'invalid_token', message: 'Access token expired', fields: [] },
    ]);
    // The token endpoint's own 401 (no session was sent) stays an OAuthError.
    expect(fromBody(401, body)).toBeInstanceOf(OAuthError);
    expect(fromBody(400, body, { signed: true })).toBeInstanceOf(OAuthError);
  });

  it("reads the identity service's plain-text codes as error codes", () => {
    const text = { contentType: 'text/plain;charset=UTF-8' };
    const bad = fromBody(403, 'Bad_OAuth_Token', text) as ApiError;
    // A 403 by status; the transport knows the code means an expired session and refreshes it.
    expect(bad).toBeInstanceOf(ForbiddenError);
    expect(bad).toMatchObject({ code: 'Bad_OAuth_Token', status: 403 });
    expect(bad.errors).toEqual([{ errorCode: 'Bad_OAuth_Token', message: 'Bad_OAuth_Token', fields: [] }]);
    const wrongOrg = fromBody(403, 'Wrong_Org', text);
    expect(wrongOrg).toBeInstanceOf(ForbiddenError);
    expect(wrongOrg.code).toBe('Wrong_Org');
    expect(fromBody(404, 'Bad_Id\n', text)).toMatchObject({ code: 'Bad_Id' });
    // Prose is not a code.
    expect(fromBody(403, 'Forbidden here', text).code).toBe('HTTP_403');
  });

  it("uses an Apex REST error object's message when the body names no error code", () => {
    const error = fromBody(400, '{"status":"error","message":"Order 42 is closed"}') as ApiError;
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.code).toBe('HTTP_400');
    expect(error.errors).toEqual([]);
    expect(error.message).toBe(`HTTP_400: Order 42 is closed (400 GET ${target.path})`);
  });

  it('scrubs secrets from nested composite errors too', () => {
    const body = JSON.stringify({
      hasErrors: true,
      results: [
        { referenceId: 'ref1', errors: [{ statusCode: 'X', message: 'saw 00Dtok!SECRET', fields: [] }] },
      ],
    });
    const error = fromBody(400, body, { secrets: ['00Dtok!SECRET'] }) as ApiError;
    expect(error.errors[0]?.message).toBe('saw [REDACTED]');
  });
});

describe('scrub', () => {
  it('replaces every occurrence and ignores values too short to be secrets', () => {
    expect(scrub('a-secret and a-secret', ['a-secret', 'a'])).toBe('[REDACTED] and [REDACTED]');
  });
});
