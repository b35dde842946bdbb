import { describe, expect, it } from 'vitest';
import { IdFactory } from '../ids.js';
import { SessionStore } from './sessions.js';
import { UserDirectory } from './users.js';

const ORG = '00DEM0000000001AAA';

function store(idleMs = 1000) {
  let now = 0;
  const sessions = new SessionStore(ORG, () => now, idleMs);
  return { sessions, advance: (ms: number) => (now += ms) };
}

describe('SessionStore', () => {
  it('issues tokens shaped like Salesforce session ids', () => {
    const { sessions } = store();
    const token = sessions.issue({ userId: '005x', origin: 'password' }).accessToken;
    expect(token).toMatch(/^00DEM0000000001!AQ[A-Za-z0-9._]{94}$/);
  });

  it('expires after the idle time and extends on use', () => {
    const { sessions, advance } = store(1000);
    const token = sessions.issue({ userId: '005x', origin: 'password' }).accessToken;
    advance(900);
    expect(sessions.use(token).kind).toBe('valid');
    advance(900);
    expect(sessions.use(token).kind).toBe('valid');
    advance(1000);
    expect(sessions.use(token).kind).toBe('invalid');
  });

  it('revokes a refresh token with the sessions issued from it, and only those', () => {
    const { sessions } = store();
    const refresh = sessions.issueRefreshToken('005x', 'app', ['api']);
    const fromRefresh = sessions.issue({ userId: '005x', origin: 'refresh_token', refreshToken: refresh });
    const other = sessions.issue({ userId: '005x', origin: 'password' });
    expect(sessions.revokeRefreshToken(refresh)).toBe(true);
    expect(sessions.peek(fromRefresh.accessToken)).toBeUndefined();
    expect(sessions.peek(other.accessToken)).toBeDefined();
    expect(sessions.refreshGrant(refresh)).toBeUndefined();
  });

  it('expires everyone or one user, keeping refresh tokens', () => {
    const { sessions } = store();
    const refresh = sessions.issueRefreshToken('005a', 'app', []);
    sessions.issue({ userId: '005a', origin: 'password' });
    sessions.issue({ userId: '005b', origin: 'password' });
    expect(sessions.expireUser('005a')).toBe(1);
    expect(sessions.expireAll()).toBe(1);
    expect(sessions.activeCount()).toBe(0);
    expect(sessions.refreshGrant(refresh)).toBeDefined();
  });

  it('rejects a non-positive idle timeout', () => {
    expect(() => store(0)).toThrow(/idle timeout/);
  });
});

describe('UserDirectory', () => {
  it('authenticates password + security token and nothing else', () => {
    const users = new UserDirectory(new IdFactory(), () => 0);
    const created = users.create({ username: 'a@b.c', password: 'pw', securityToken: 'TOK' });
    expect(users.authenticate('A@B.C', 'pwTOK')?.id).toBe(created.userId);
    expect(users.authenticate('a@b.c', 'pw')).toBeUndefined();
    expect(users.authenticate('a@b.c', 'pwTOKx')).toBeUndefined();
    users.setActive(created.userId, false);
    expect(users.authenticate('a@b.c', 'pwTOK')).toBeUndefined();
  });

  it('replays existing users to a new subscriber, then reports new ones', () => {
    const users = new UserDirectory(new IdFactory(), () => 0);
    users.create({ username: 'first@x.y' });
    const seen: string[] = [];
    users.subscribe((user) => seen.push(user.username));
    users.create({ username: 'second@x.y' });
    expect(seen).toEqual(['first@x.y', 'second@x.y']);
  });

  it('requires an email-shaped, unique username', () => {
    const users = new UserDirectory(new IdFactory(), () => 0);
    expect(() => users.create({ username: 'nope' })).toThrow(/username/);
    users.create({ username: 'x@y.z' });
    expect(() => users.create({ username: 'X@Y.Z' })).toThrow(/already taken/);
  });
});
