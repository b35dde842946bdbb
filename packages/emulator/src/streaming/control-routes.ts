import { z } from 'zod';
import { HttpError } from '../http/context.js';
import type { Router } from '../http/router.js';
import { attempt, parseControlBody } from '../platform/control-body.js';
import type { StreamingControl } from './service.js';

/**
 * `/__emulator/streaming/...`: the streaming controls over HTTP, for tests in another process or
 * language. Bodies are JSON; a bad one answers 400 `{ "error": "<what is wrong>" }`.
 */
export function registerStreamingControlRoutes(router: Router, streaming: StreamingControl): void {
  const none = { auth: 'none' } as const;

  router.get('/__emulator/streaming/clients', (ctx) => ctx.sendJson(200, streaming.clients()), none);

  router.post(
    '/__emulator/streaming/clients/forget',
    async (ctx) => {
      const { clientId } = await parseControlBody(
        ctx,
        z.strictObject({ clientId: z.string().min(1).optional() }),
      );
      await ctx.sendJson(200, { forgotten: streaming.forgetClients(clientId) });
    },
    none,
  );

  router.post(
    '/__emulator/streaming/long-polls/drop',
    (ctx) => ctx.sendJson(200, { dropped: streaming.dropLongPolls() }),
    none,
  );

  router.post(
    '/__emulator/streaming/long-polls/release',
    (ctx) => ctx.sendJson(200, { released: streaming.releaseLongPolls() }),
    none,
  );

  router.post(
    '/__emulator/streaming/channels',
    async (ctx) => {
      const body = await parseControlBody(
        ctx,
        z.strictObject({ name: z.string().min(1), description: z.string().optional() }),
      );
      const id = attempt(() => streaming.defineChannel(body.name, body.description));
      await ctx.sendJson(201, { id });
    },
    none,
  );

  router.post(
    '/__emulator/streaming/publish',
    async (ctx) => {
      const body = await parseControlBody(
        ctx,
        z.strictObject({
          channel: z.string().min(1),
          payload: z.string(),
          userIds: z.array(z.string()).optional(),
        }),
      );
      const fanoutCount = attempt(() => streaming.publishGeneric(body.channel, body.payload, body.userIds));
      await ctx.sendJson(200, { fanoutCount });
    },
    none,
  );

  router.get(
    '/__emulator/streaming/retained',
    async (ctx) => {
      const channel = ctx.query.get('channel');
      if (!channel) throw new HttpError(400, { error: 'channel: give ?channel=/topic/Name' });
      await ctx.sendJson(
        200,
        attempt(() => streaming.retained(channel)),
      );
    },
    none,
  );

  router.get('/__emulator/streaming/options', (ctx) => ctx.sendJson(200, streaming.options), none);

  router.patch(
    '/__emulator/streaming/options',
    async (ctx) => {
      const body = await parseControlBody(ctx, z.record(z.string(), z.unknown()));
      attempt(() => streaming.configure(body));
      await ctx.sendJson(200, streaming.options);
    },
    none,
  );
}
