import { ConfigurationError, NotFoundError, ServerError } from '@forcekit/core';
import { describe, expect, test } from 'vitest';
import { apexPath, apexRest } from '../src/rest/apex.js';
import { useEmulator } from './rest-support.js';

const env = useEmulator();

describe('apexPath', () => {
  test('puts relative, rooted and full apexrest paths under /services/apexrest', () => {
    expect(apexPath('accounts/1')).toBe('/services/apexrest/accounts/1');
    expect(apexPath('/accounts/1')).toBe('/services/apexrest/accounts/1');
    expect(apexPath('/services/apexrest/ns/accounts')).toBe('/services/apexrest/ns/accounts');
  });

  test.each(['../data/v62.0/sobjects', 'a/./b', 'https://evil.example/x', ''])('refuses %j', (path) => {
    expect(() => apexPath(path)).toThrow(ConfigurationError);
  });
});

describe('Apex REST against the emulator', () => {
  test('get sends urlParams and headers and parses the JSON answer', async () => {
    env.emulator.org.apexRoute('GET', '/accounts/:id', (req) => ({
      body: {
        id: req.params.id,
        x: req.query.get('x'),
        tags: req.query.getAll('tag'),
        h: req.headers['x-trace'],
      },
    }));
    const apex = apexRest(env.client);
    const result = await apex.get<{ id: string; x: string; tags: string[]; h: string }>('/accounts/001ABC', {
      urlParams: { x: 'a b&c', tag: ['t1', 't2'] },
      headers: { 'X-Trace': 'trace-1' },
    });
    expect(result).toEqual({ id: '001ABC', x: 'a b&c', tags: ['t1', 't2'], h: 'trace-1' });
  });

  test('post, put and patch send a JSON body; delete sends none', async () => {
    const seen: { method: string; body: unknown; type: string | undefined }[] = [];
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      env.emulator.org.apexRoute(method, '/echo', (req) => {
        seen.push({ method: req.method, body: req.body, type: req.headers['content-type'] });
        return { status: method === 'POST' ? 201 : 200, body: { method: req.method } };
      });
    }
    const apex = apexRest(env.client);
    expect(await apex.post('echo', { name: 'a' })).toEqual({ method: 'POST' });
    expect(await apex.put('echo', { name: 'b' })).toEqual({ method: 'PUT' });
    expect(await apex.patch('echo', [1, 2])).toEqual({ method: 'PATCH' });
    expect(await apex.delete('echo')).toEqual({ method: 'DELETE' });
    expect(seen.map((s) => [s.method, s.body])).toEqual([
      ['POST', { name: 'a' }],
      ['PUT', { name: 'b' }],
      ['PATCH', [1, 2]],
      ['DELETE', undefined],
    ]);
    expect(seen[0]?.type).toBe('application/json');
  });

  test('a void Apex method answers an empty body, which resolves to undefined', async () => {
    env.emulator.org.apexRoute('POST', '/void', () => undefined);
    expect(await apexRest(env.client).post('/void', { a: 1 })).toBeUndefined();
  });

  test('a string the class returns arrives as that string', async () => {
    env.emulator.org.apexRoute('GET', '/greeting', () => ({ body: 'hello' }));
    expect(await apexRest(env.client).get('/greeting')).toBe('hello');
  });

  test("runs as the bound view's user", async () => {
    const user = env.emulator.org.createUser({ username: 'apex.user@emulator.forcekit.dev' });
    env.emulator.org.apexRoute('GET', '/me', (req) => ({ body: { userId: req.userId } }));
    const view = env.client.as({ accessToken: user.accessToken, instanceUrl: env.emulator.url });
    expect(await apexRest(view).get('/me')).toEqual({ userId: user.userId });
    expect(await apexRest(env.client).get('/me')).toEqual({ userId: env.emulator.org.admin.id });
  });

  test('an unmapped URL is a NotFoundError', async () => {
    await expect(apexRest(env.client).get('/nothing/here')).rejects.toBeInstanceOf(NotFoundError);
  });

  test('an unhandled Apex exception is a ServerError with APEX_ERROR', async () => {
    env.emulator.org.apexRoute('GET', '/boom', () => {
      throw new Error('Attempt to de-reference a null object');
    });
    const error = await apexRest(env.client)
      .get('/boom')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).code).toBe('APEX_ERROR');
  });
});
