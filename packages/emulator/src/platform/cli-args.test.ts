import { describe, expect, it } from 'vitest';
import { parseCliArgs } from './cli-args.js';

describe('parseCliArgs', () => {
  it('defaults to port 8787 on 127.0.0.1 with demo data', () => {
    expect(parseCliArgs([])).toMatchObject({ port: 8787, host: '127.0.0.1', seed: true, json: false });
  });

  it('reads every option', () => {
    expect(
      parseCliArgs([
        '--port',
        '0',
        '--host',
        '0.0.0.0',
        '--no-seed',
        '--api-version',
        '60.0',
        '--username',
        'me@x.y',
        '--password',
        'pw',
        '--json',
      ]),
    ).toEqual({
      port: 0,
      host: '0.0.0.0',
      seed: false,
      apiVersion: '60.0',
      username: 'me@x.y',
      password: 'pw',
      json: true,
      help: false,
    });
  });

  it('names the bad option', () => {
    expect(() => parseCliArgs(['--port', 'abc'])).toThrow(/--port/);
    expect(() => parseCliArgs(['--port', '70000'])).toThrow(/--port/);
    expect(() => parseCliArgs(['--api-version', 'v62'])).toThrow(/--api-version/);
    expect(() => parseCliArgs(['--seed', '--no-seed'])).toThrow(/--seed/);
    expect(() => parseCliArgs(['--bogus'])).toThrow(/bogus/);
  });
});
