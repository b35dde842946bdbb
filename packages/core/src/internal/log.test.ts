import { describe, expect, it } from 'vitest';
import { createLineLogger, loggerFromEnv, redact, redactingLogger } from './log.js';

describe('redact', () => {
  it('replaces credential-looking values at any depth', () => {
    expect(
      redact({
        method: 'POST',
        access_token: 'a',
        nested: {
          refreshToken: 'r',
          client_secret: 's',
          list: [{ password: 'p' }],
          Authorization: 'Bearer x',
        },
        code: 'c',
        status: 200,
      }),
    ).toEqual({
      method: 'POST',
      access_token: '[REDACTED]',
      nested: {
        refreshToken: '[REDACTED]',
        client_secret: '[REDACTED]',
        list: [{ password: '[REDACTED]' }],
        Authorization: '[REDACTED]',
      },
      code: '[REDACTED]',
      status: 200,
    });
  });
});

describe('createLineLogger', () => {
  it('writes JSON lines at or above its level', () => {
    const lines: string[] = [];
    const logger = createLineLogger('info', (line) => lines.push(line));
    logger.debug({ a: 1 }, 'hidden');
    logger.info({ a: 2 }, 'shown');
    logger.error({ a: 3 }, 'also shown');
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({ level: 'info', msg: 'shown', a: 2, name: 'forcekit' }),
      expect.objectContaining({ level: 'error', msg: 'also shown', a: 3 }),
    ]);
  });

  it('redacts through redactingLogger', () => {
    const lines: string[] = [];
    redactingLogger(createLineLogger('debug', (line) => lines.push(line))).warn({ password: 'hunter2' }, 'x');
    expect(lines[0]).not.toContain('hunter2');
  });
});

describe('loggerFromEnv', () => {
  it('is silent unless FORCEKIT_LOG names a level', () => {
    expect(loggerFromEnv(undefined)).toBeUndefined();
    expect(loggerFromEnv('')).toBeUndefined();
    expect(loggerFromEnv('verbose')).toBeUndefined();
    expect(loggerFromEnv('DEBUG')).toBeDefined();
  });
});
