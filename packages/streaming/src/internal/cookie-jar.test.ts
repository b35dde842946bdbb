import { describe, expect, it } from 'vitest';
import { CookieJar } from './cometd-runtime.js';

describe('CookieJar', () => {
  it('keeps the name=value pair of each Set-Cookie, latest value winning', () => {
    const jar = new CookieJar();
    jar.store('BAYEUX_BROWSER=4xtq-1bxh4o6qt1r6e4rhx2fqmpa; Path=/; Secure; HttpOnly');
    jar.store('sfdc-stream=!abc; path=/');
    jar.store('BAYEUX_BROWSER=zzzz-new; Path=/');
    expect(jar.pairs()).toEqual(['BAYEUX_BROWSER=zzzz-new', 'sfdc-stream=!abc']);
  });

  it('drops a cookie the server clears', () => {
    const jar = new CookieJar();
    jar.store('a=1');
    jar.store('b=2');
    jar.store('a=; Max-Age=0');
    jar.store('b=2; Max-Age=0; Path=/');
    expect(jar.size).toBe(0);
  });

  it('ignores headers without a name', () => {
    const jar = new CookieJar();
    jar.store('=nameless');
    jar.store('garbage');
    expect(jar.pairs()).toEqual([]);
  });
});
