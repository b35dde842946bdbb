import { z } from 'zod';
import type { ConnectedApp } from '../auth/connected-apps.js';
import { HttpError } from '../http/context.js';
import type { Router } from '../http/router.js';
import type { Org } from '../org.js';
import type { CustomFieldInput, CustomObjectInput } from '../schema/custom.js';
import { controlError, parseControlBody } from './control-body.js';
import { type FaultSpec, unableToLockRowSpec } from './faults.js';

/**
 * The emulator's own HTTP API under `/__emulator/...`, outside every Salesforce path, so tests in
 * another process or language can drive the org: users and sessions, the clock, faults, limits, data, the request log, reset.
 * Bodies are JSON and validated; a bad one answers 400 `{ "error": "<what is wrong>" }`.
 */
export function registerControlRoutes(router: Router, org: Org, extras: ControlExtras = {}): void {
  const none = { auth: 'none' } as const;

  router.get(
    '/__emulator/org',
    (ctx) =>
      ctx.sendJson(200, {
        url: org.url,
        organizationId: org.organizationId,
        organizationName: org.organizationName,
        apiVersion: org.apiVersion,
        users: org.users
          .all()
          .map((user) => ({ id: user.id, username: user.username, isActive: user.isActive })),
        activeSessions: org.sessions.activeCount(),
        now: new Date(org.clock.now()).toISOString(),
      }),
    none,
  );

  if (extras.credentials) {
    const credentials = extras.credentials;
    router.get('/__emulator/credentials', (ctx) => ctx.sendJson(200, credentials()), none);
  }

  router.post(
    '/__emulator/users',
    async (ctx) => {
      const options = await parseControlBody(ctx, CreateUserBody);
      try {
        await ctx.sendJson(201, org.createUser(stripUndefined(options)));
      } catch (error) {
        throw controlError(error);
      }
    },
    none,
  );

  router.patch(
    '/__emulator/users/:userId',
    async (ctx) => {
      const { isActive } = await parseControlBody(ctx, UserPatchBody);
      const userId = ctx.params.userId as string;
      const user = org.users.get(userId);
      if (!user) throw new HttpError(404, { error: `no user with id ${userId}` });
      if (isActive !== undefined) org.users.setActive(user.id, isActive);
      await ctx.sendJson(200, {
        id: user.id,
        username: user.username,
        isActive: org.users.get(user.id)?.isActive,
      });
    },
    none,
  );

  router.post(
    '/__emulator/connected-apps',
    async (ctx) => {
      const options = stripUndefined(await parseControlBody(ctx, ConnectedAppBody));
      if (options.runAsUserId !== undefined && !org.users.get(options.runAsUserId)) {
        throw new HttpError(400, { error: `runAsUserId: no user with id ${options.runAsUserId}` });
      }
      let app: ConnectedApp;
      try {
        app = org.connectedApps.create(options);
      } catch (error) {
        throw controlError(error);
      }
      const { jwtPublicKey, ...described } = app;
      await ctx.sendJson(201, { ...described, jwtBearer: jwtPublicKey !== undefined });
    },
    none,
  );

  router.post(
    '/__emulator/sessions',
    async (ctx) => {
      const { userId } = await parseControlBody(ctx, SessionBody);
      if (userId !== undefined && !org.users.get(userId))
        throw new HttpError(404, { error: `no user with id ${userId}` });
      await ctx.sendJson(201, { accessToken: org.createSession(userId ?? org.admin.id) });
    },
    none,
  );

  router.post(
    '/__emulator/sessions/expire',
    async (ctx) => {
      const { userId } = await parseControlBody(ctx, SessionBody);
      const expired = userId === undefined ? org.expireSessions() : org.sessions.expireUser(userId);
      await ctx.sendJson(200, { expired });
    },
    none,
  );

  const clockState = () => ({ now: new Date(org.clock.now()).toISOString(), frozen: org.clock.frozen });
  router.get('/__emulator/clock', (ctx) => ctx.sendJson(200, clockState()), none);
  router.patch(
    '/__emulator/clock',
    async (ctx) => {
      const { time, frozen } = await parseControlBody(ctx, ClockBody);
      try {
        if (time !== undefined) org.clock.set(time);
      } catch (error) {
        throw controlError(error);
      }
      if (frozen === true) org.clock.freeze();
      if (frozen === false) org.clock.resume();
      await ctx.sendJson(200, clockState());
    },
    none,
  );

  router.post(
    '/__emulator/clock/advance',
    async (ctx) => {
      const { ms } = await parseControlBody(ctx, z.object({ ms: z.number().nonnegative() }));
      org.clock.advance(ms);
      await ctx.sendJson(200, { now: new Date(org.clock.now()).toISOString() });
    },
    none,
  );

  router.get('/__emulator/faults', (ctx) => ctx.sendJson(200, org.faults.list()), none);
  router.post(
    '/__emulator/faults',
    async (ctx) => {
      const spec = toFaultSpec(await parseControlBody(ctx, FaultBody));
      let id: string;
      try {
        id = org.faults.add(spec).id;
      } catch (error) {
        throw controlError(error);
      }
      await ctx.sendJson(
        201,
        org.faults.list().find((fault) => fault.id === id),
      );
    },
    none,
  );
  router.delete(
    '/__emulator/faults',
    (ctx) => {
      org.faults.clear();
      ctx.noContent();
    },
    none,
  );
  router.delete(
    '/__emulator/faults/:id',
    (ctx) => {
      if (!org.faults.remove(ctx.params.id as string))
        throw new HttpError(404, { error: `no fault ${ctx.params.id}` });
      ctx.noContent();
    },
    none,
  );
  router.post(
    '/__emulator/faults/reseed',
    async (ctx) => {
      const { seed } = await parseControlBody(ctx, z.object({ seed: z.number().int() }));
      org.faults.reseed(seed);
      ctx.noContent();
    },
    none,
  );

  router.get('/__emulator/limits', (ctx) => ctx.sendJson(200, limitsState(org)), none);
  router.patch(
    '/__emulator/limits',
    async (ctx) => {
      const body = await parseControlBody(ctx, LimitsBody);
      try {
        org.limits.configure(
          stripUndefined({
            dailyApiRequests: body.dailyApiRequests,
            concurrentRequests: body.concurrentRequests,
            longRunningMs: body.longRunningMs,
          }),
        );
        if (body.used !== undefined) org.limits.setUsed(body.used);
        for (const [name, value] of Object.entries(body.entries ?? {}))
          org.limits.set(name, value ?? undefined);
      } catch (error) {
        throw controlError(error);
      }
      await ctx.sendJson(200, limitsState(org));
    },
    none,
  );

  // Data, through the data area's service: the same validation as the API, all or none.
  router.post(
    '/__emulator/objects',
    async (ctx) => {
      const input = await parseControlBody(ctx, z.record(z.string(), z.unknown()));
      const def = attempt(() => org.defineObject(input as CustomObjectInput));
      await ctx.sendJson(201, { name: def.name, keyPrefix: def.keyPrefix });
    },
    none,
  );
  router.post(
    '/__emulator/objects/:objectName/fields',
    async (ctx) => {
      const input = await parseControlBody(ctx, z.record(z.string(), z.unknown()));
      const field = attempt(() =>
        org.defineField(ctx.params.objectName as string, input as CustomFieldInput),
      );
      await ctx.sendJson(201, { name: field.name, type: field.type });
    },
    none,
  );
  router.post(
    '/__emulator/records/:objectName',
    async (ctx) => {
      const { records } = await parseControlBody(
        ctx,
        z.strictObject({ records: z.array(z.record(z.string(), z.unknown())) }),
      );
      const stored = attempt(() => org.insert(ctx.params.objectName as string, records));
      await ctx.sendJson(201, { ids: stored.map((record) => record.Id) });
    },
    none,
  );
  router.get(
    '/__emulator/records/:objectName',
    (ctx) => {
      const includeDeleted = ctx.query.get('includeDeleted') === 'true';
      return ctx.sendJson(
        200,
        attempt(() => org.records(ctx.params.objectName as string, { includeDeleted })),
      );
    },
    none,
  );
  router.post(
    '/__emulator/generate/:objectName',
    async (ctx) => {
      const { count, overrides } = await parseControlBody(
        ctx,
        z.strictObject({
          count: z.number().int().min(1).max(MAX_GENERATE),
          /** Fixed field values; computed overrides exist only in process. */
          overrides: z.record(z.string(), z.unknown()).optional(),
        }),
      );
      const stored = attempt(() => org.generate(ctx.params.objectName as string, count, overrides ?? {}));
      // Ids only for small batches: a million of them is not an answer anyone reads.
      await ctx.sendJson(
        201,
        stored.length <= MAX_IDS_IN_ANSWER
          ? { count: stored.length, ids: stored.map((record) => record.Id) }
          : { count: stored.length },
      );
    },
    none,
  );

  router.get(
    '/__emulator/requests',
    (ctx) => {
      const method = ctx.query.get('method') ?? undefined;
      const path = ctx.query.get('path') ?? undefined;
      return ctx.sendJson(200, org.requests.entries(stripUndefined({ method, path })));
    },
    none,
  );
  router.delete(
    '/__emulator/requests',
    (ctx) => {
      org.requests.clear();
      ctx.noContent();
    },
    none,
  );

  router.post(
    '/__emulator/reset',
    (ctx) => {
      org.reset();
      ctx.noContent();
    },
    none,
  );
}

const MAX_GENERATE = 5_000_000;
const MAX_IDS_IN_ANSWER = 2_000;

/** Runs an org operation, turning its validation error into a 400 that carries its message. */
function attempt<T>(operation: () => T): T {
  try {
    return operation();
  } catch (error) {
    throw controlError(error);
  }
}

export interface ControlExtras {
  /** The credentials `startEmulator()` hands out, for `GET /__emulator/credentials`. */
  readonly credentials?: () => object;
}

const CreateUserBody = z.strictObject({
  username: z.string().optional(),
  password: z.string().min(1).optional(),
  securityToken: z.string().optional(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  email: z.string().optional(),
  timeZone: z.string().optional(),
  locale: z.string().optional(),
  isActive: z.boolean().optional(),
});

const SessionBody = z.strictObject({ userId: z.string().optional() });

const UserPatchBody = z.strictObject({ isActive: z.boolean().optional() });

const ConnectedAppBody = z.strictObject({
  name: z.string().min(1).optional(),
  clientId: z.string().min(1).optional(),
  clientSecret: z.string().min(1).optional(),
  redirectUris: z.array(z.string()).optional(),
  scopes: z.array(z.string().min(1)).optional(),
  /** PEM public key or certificate for the JWT bearer flow. */
  jwtPublicKey: z.string().min(1).optional(),
  /** The user the client-credentials flow runs as. */
  runAsUserId: z.string().optional(),
  requireSecret: z.boolean().optional(),
});

const ClockBody = z.strictObject({
  /** Move forward to this time: an ISO string or epoch ms. */
  time: z.union([z.string().min(1), z.number().nonnegative()]).optional(),
  /** true: stop the clock; false: let it run again. */
  frozen: z.boolean().optional(),
});

const Scope = {
  method: z.union([z.string(), z.array(z.string())]).optional(),
  /** A path glob. */
  path: z.string().optional(),
  /** A regular expression source, instead of `path`. */
  pathRegex: z.string().optional(),
  times: z.number().int().min(1).optional(),
  probability: z.number().min(0).max(1).optional(),
};

const FaultBody = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('latency'), ms: z.number().nonnegative(), ...Scope }),
  z.strictObject({
    kind: z.literal('error'),
    status: z.number().int().min(100).max(599),
    errorCode: z.string().optional(),
    message: z.string().optional(),
    fields: z.array(z.string()).optional(),
    body: z.unknown().optional(),
    headers: z.record(z.string(), z.string()).optional(),
    ...Scope,
  }),
  z.strictObject({
    kind: z.literal('drop'),
    when: z.enum(['before-response', 'mid-response']).optional(),
    ...Scope,
  }),
  z.strictObject({ kind: z.literal('expire-sessions'), ...Scope }),
  z.strictObject({ kind: z.literal('unable-to-lock-row'), ...Scope }),
]);

const LimitValueBody = z.strictObject({ Max: z.number().int().min(0), Remaining: z.number().int().min(0) });

const LimitsBody = z.strictObject({
  dailyApiRequests: z.number().int().min(0).optional(),
  concurrentRequests: z.number().int().min(0).optional(),
  longRunningMs: z.number().int().min(0).optional(),
  used: z.number().int().min(0).optional(),
  /** Pins `/limits` entries; `null` unpins one. */
  entries: z.record(z.string(), LimitValueBody.nullable()).optional(),
});

function toFaultSpec(body: z.infer<typeof FaultBody>): FaultSpec {
  const { pathRegex, path, ...rest } = body;
  if (pathRegex !== undefined && path !== undefined)
    throw new HttpError(400, { error: 'give path or pathRegex, not both' });
  let pattern: string | RegExp | undefined = path;
  if (pathRegex !== undefined) {
    try {
      pattern = new RegExp(pathRegex, 'i');
    } catch (error) {
      throw controlError(error, 'pathRegex: ');
    }
  }
  const scoped = stripUndefined({ ...rest, path: pattern });
  if (scoped.kind === 'unable-to-lock-row') {
    const { kind: _kind, ...scope } = scoped;
    return unableToLockRowSpec(scope);
  }
  return scoped as FaultSpec;
}

function limitsState(org: Org): Record<string, number> {
  return {
    dailyApiRequests: org.limits.dailyApiRequests,
    used: org.limits.used,
    concurrentRequests: org.limits.concurrentRequests,
    longRunningMs: org.limits.longRunningMs,
    inFlight: org.limits.inFlight,
  };
}

/** Drops `undefined` members, which `exactOptionalPropertyTypes` keeps apart from absent ones. */
function stripUndefined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}
