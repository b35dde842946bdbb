import { timingSafeEqual } from 'node:crypto';
import type { IdFactory } from '../ids.js';
import { KEY_PREFIXES } from '../ids.js';
import { newPassword, newSecurityToken } from './secrets.js';

/** A user of the emulated org, as auth, identity and SOAP login describe it. */
export interface EmulatorUser {
  readonly id: string;
  readonly username: string;
  readonly email: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly alias: string;
  readonly timeZone: string;
  readonly locale: string;
  readonly language: string;
  readonly profileId: string;
  readonly isActive: boolean;
  /** When the user was created, epoch ms. */
  readonly createdAt: number;
}

/** What a test needs to log in as a user. */
export interface UserCredentials {
  readonly userId: string;
  readonly username: string;
  readonly password: string;
  readonly securityToken: string;
}

export interface CreateUserOptions {
  /** Default `user<N>@emulator.forcekit.dev`. Usernames are unique in the org, case-insensitively. */
  readonly username?: string;
  /** Default: generated. */
  readonly password?: string;
  /** Default: generated, 24 characters. */
  readonly securityToken?: string;
  readonly firstName?: string;
  /** Default `User <N>`. */
  readonly lastName?: string;
  /** Default: the username. */
  readonly email?: string;
  /** Default `America/Los_Angeles`. */
  readonly timeZone?: string;
  /** Default `en_US` (locale and language). */
  readonly locale?: string;
  /** Default true. An inactive user cannot log in (`invalid_grant` / `INVALID_LOGIN`). */
  readonly isActive?: boolean;
}

interface UserEntry {
  user: EmulatorUser;
  password: string;
  securityToken: string;
}

export type UserListener = (user: EmulatorUser) => void;

/**
 * The org's users and their login secrets. The User records that SOQL sees are kept by the data area;
 * it follows this directory through `subscribe()`, which also replays the users created before it
 * subscribed.
 */
export class UserDirectory {
  readonly #ids: IdFactory;
  readonly #now: () => number;
  readonly #profileId: string;
  readonly #byId = new Map<string, UserEntry>();
  readonly #byUsername = new Map<string, UserEntry>();
  readonly #listeners = new Set<UserListener>();

  constructor(ids: IdFactory, now: () => number) {
    this.#ids = ids;
    this.#now = now;
    this.#profileId = ids.next(KEY_PREFIXES.Profile);
  }

  create(options: CreateUserOptions = {}): UserCredentials {
    const n = this.#byId.size + 1;
    const username = options.username ?? `user${n}@emulator.forcekit.dev`;
    if (!/^[^\s@]+@[^\s@]+$/.test(username)) {
      throw new TypeError(`username must look like an email address, got "${username}"`);
    }
    if (this.#byUsername.has(username.toLowerCase())) {
      throw new Error(`username "${username}" is already taken in this org`);
    }
    const lastName = options.lastName ?? `User ${n}`;
    const firstName = options.firstName ?? '';
    const locale = options.locale ?? 'en_US';
    const user: EmulatorUser = {
      id: this.#ids.next(KEY_PREFIXES.User),
      username,
      email: options.email ?? username,
      firstName,
      lastName,
      alias: (firstName.slice(0, 1) + lastName.replace(/\s+/g, '')).slice(0, 8).toLowerCase(),
      timeZone: options.timeZone ?? 'America/Los_Angeles',
      locale,
      language: locale,
      profileId: this.#profileId,
      isActive: options.isActive ?? true,
      createdAt: this.#now(),
    };
    const entry: UserEntry = {
      user,
      password: options.password ?? newPassword(),
      securityToken: options.securityToken ?? newSecurityToken(),
    };
    this.#byId.set(user.id, entry);
    this.#byUsername.set(username.toLowerCase(), entry);
    for (const listener of this.#listeners) listener(user);
    return {
      userId: user.id,
      username,
      password: entry.password,
      securityToken: entry.securityToken,
    };
  }

  get(userId: string): EmulatorUser | undefined {
    return this.#byId.get(userId)?.user;
  }

  byUsername(username: string): EmulatorUser | undefined {
    return this.#byUsername.get(username.toLowerCase())?.user;
  }

  all(): EmulatorUser[] {
    return [...this.#byId.values()].map((entry) => entry.user);
  }

  /** Deactivates or reactivates a user; existing sessions stay valid, new logins are refused. */
  setActive(userId: string, isActive: boolean): void {
    const entry = this.#byId.get(userId);
    if (!entry) throw new Error(`no user with id ${userId}`);
    entry.user = { ...entry.user, isActive };
  }

  /**
   * The active user whose password, followed by their security token, is `passwordAndToken`; as
   * Salesforce requires from untrusted networks. Undefined for any mismatch (no hint which part failed).
   */
  authenticate(username: string, passwordAndToken: string): EmulatorUser | undefined {
    const entry = this.#byUsername.get(username.toLowerCase());
    if (!entry?.user.isActive) return undefined;
    return safeEqual(passwordAndToken, entry.password + entry.securityToken) ? entry.user : undefined;
  }

  /** Calls `listener` for every existing user now and for every user created later. */
  subscribe(listener: UserListener): () => void {
    for (const entry of this.#byId.values()) listener(entry.user);
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
