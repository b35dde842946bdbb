import { describe, expect, it } from 'vitest';
import { Router } from './router.js';

const noop = () => {};

describe('Router', () => {
  const router = new Router()
    .get('/services/data', noop, { auth: 'none' })
    .get('/services/data/:version/sobjects/:object/describe', noop)
    .add(['GET', 'PATCH', 'DELETE'], '/services/data/:version/sobjects/:object/:id', noop)
    .get('/services/apexrest/*path', noop);

  it('captures the version without its v, and decodes params', () => {
    const match = router.match('PATCH', '/services/data/v62.0/sobjects/Account/Ext__c%2FA%20B');
    expect(match).toMatchObject({
      kind: 'found',
      params: { version: '62.0', object: 'Account', id: 'Ext__c/A B' },
    });
  });

  it('ignores a trailing slash and literal case', () => {
    expect(router.match('GET', '/services/data/').kind).toBe('found');
    expect(router.match('GET', '/services/DATA/v62.0/sobjects/account/DESCRIBE/').kind).toBe('found');
  });

  it('rejects a malformed version segment', () => {
    expect(router.match('GET', '/services/data/62.0/sobjects/Account/describe').kind).toBe('not-found');
  });

  it('reports the allowed methods when only the method is wrong', () => {
    const match = router.match('PUT', '/services/data/v62.0/sobjects/Account/001');
    expect(match).toEqual({ kind: 'method-not-allowed', allowed: ['GET', 'PATCH', 'DELETE'] });
  });

  it('captures the rest of the path', () => {
    expect(router.match('GET', '/services/apexrest/my/thing/1')).toMatchObject({
      params: { path: 'my/thing/1' },
    });
    expect(router.match('GET', '/services/apexrest')).toMatchObject({ params: { path: '' } });
  });
});
