import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigurationError } from './errors.js';
import { parseOptions } from './parse-options.js';

const pollSchema = z.strictObject({
  pollInterval: z.int().min(1, 'must be at least 1').default(1_000),
  lineEnding: z.enum(['LF', 'CRLF'], 'must be LF or CRLF').default('LF'),
  reconnect: z
    .strictObject({
      maxDelayMs: z.int().min(0, 'must not be negative').optional(),
      attempts: z.int().min(1, 'must be at least 1').optional(),
    })
    .optional(),
});

/** The `ConfigurationError` parseOptions throws for `value`. */
function configurationErrorOf(
  value: unknown,
  subject = 'poll options',
  schema: z.ZodType = pollSchema,
): ConfigurationError {
  try {
    parseOptions(schema, value, subject);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error('expected a ConfigurationError');
}

describe('parseOptions', () => {
  it("returns the schema's output, defaults applied, and keeps what was given", () => {
    expect(parseOptions(pollSchema, { pollInterval: 250 }, 'poll options')).toEqual({
      pollInterval: 250,
      lineEnding: 'LF',
    });
    expect(parseOptions(pollSchema, { lineEnding: 'CRLF', reconnect: { attempts: 3 } }, 'x')).toEqual({
      pollInterval: 1_000,
      lineEnding: 'CRLF',
      reconnect: { attempts: 3 },
    });
  });

  it('returns what a transform makes of the value', () => {
    const versionSchema = z.strictObject({
      version: z
        .string()
        .regex(/^v?\d+(\.0)?$/, 'must look like 62.0')
        .transform((version) => `${Number.parseInt(version.replace(/^v/, ''), 10)}.0`)
        .optional(),
    });
    expect(parseOptions(versionSchema, { version: 'v60' }, 'client options')).toEqual({ version: '60.0' });
  });

  it.each([undefined, null])('treats %s as no options: {} with the defaults', (value) => {
    expect(parseOptions(pollSchema, value, 'poll options')).toEqual({
      pollInterval: 1_000,
      lineEnding: 'LF',
    });
  });

  it('throws one ConfigurationError (INVALID_OPTIONS) naming every bad field with its message', () => {
    const error = configurationErrorOf({ pollInterval: 0, lineEnding: 'CR' }, 'bulk query options');
    expect(error.code).toBe('INVALID_OPTIONS');
    expect(error.issues).toEqual([
      { field: 'pollInterval', message: 'must be at least 1' },
      { field: 'lineEnding', message: 'must be LF or CRLF' },
    ]);
    expect(error.message).toBe(
      'Invalid bulk query options: pollInterval: must be at least 1; lineEnding: must be LF or CRLF',
    );
  });

  it('names a nested field by its dotted path', () => {
    const error = configurationErrorOf({ reconnect: { maxDelayMs: -5, attempts: 0 } });
    expect(error.issues).toEqual([
      { field: 'reconnect.maxDelayMs', message: 'must not be negative' },
      { field: 'reconnect.attempts', message: 'must be at least 1' },
    ]);
  });

  it('names a field inside a record or an array by its key or index', () => {
    const typesSchema = z.strictObject({
      types: z.record(z.string(), z.enum(['string', 'number'], 'must be string or number')).optional(),
      fields: z.array(z.string().min(1, 'must not be empty')).optional(),
    });
    const error = configurationErrorOf(
      { types: { Amount: 'money' }, fields: ['Id', ''] },
      'cast options',
      typesSchema,
    );
    expect(error.issues).toEqual([
      { field: 'types.Amount', message: 'must be string or number' },
      { field: 'fields.1', message: 'must not be empty' },
    ]);
  });

  it('names each unknown key as its own issue, at the top level and nested', () => {
    const error = configurationErrorOf({ pollIntervall: 5, linending: 'LF', reconnect: { maxDelay: 10 } });
    expect(error.issues).toEqual(
      expect.arrayContaining([
        { field: 'pollIntervall', message: 'unknown option' },
        { field: 'linending', message: 'unknown option' },
        { field: 'reconnect.maxDelay', message: 'unknown option' },
      ]),
    );
    expect(error.issues).toHaveLength(3);
  });

  it.each([
    ['a string', 'fast'],
    ['a number', 42],
    ['an array', [{ pollInterval: 5 }]],
    ['a boolean', true],
  ])('names the value as a whole `options` when it is %s, not an object', (_kind, value) => {
    const error = configurationErrorOf(value);
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]?.field).toBe('options');
    expect(error.message).toMatch(/^Invalid poll options: options: /);
  });

  it('never echoes a secret value: not in the message, the issues, JSON or util.inspect', () => {
    const secret = '00Dx0000000BV7z!AQ0AQHsecretAccessTokenValue';
    const secretSchema = z.strictObject({
      clientSecret: z.string().min(64, 'must be at least 64 characters').optional(),
      accessToken: z.string().optional(),
      privateKey: z.string().startsWith('-----BEGIN', 'must be a PEM key').optional(),
    });
    const attempts: unknown[] = [
      { clientSecret: secret },
      { accessToken: [secret] },
      { privateKey: secret },
      { acessToken: secret },
      secret,
    ];
    for (const value of attempts) {
      const error = configurationErrorOf(value, 'client options', secretSchema);
      for (const rendering of [
        error.message,
        String(error.stack),
        JSON.stringify(error),
        JSON.stringify(error.issues),
        inspect(error, { depth: 10 }),
      ]) {
        expect(rendering).not.toContain('secretAccessTokenValue');
      }
    }
  });
});
