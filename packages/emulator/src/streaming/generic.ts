import { z } from 'zod';
import type { DataStore } from '../data/store.js';
import { HttpError, type RequestContext } from '../http/context.js';
import { isId, keyPrefixOf, to18 } from '../ids.js';
import { fieldDef } from '../schema/field.js';
import { audit, id, isDeleted, objectDef, owner } from '../schema/standard/common.js';

/**
 * Generic streaming: `StreamingChannel` records name `/u/<Channel>` channels, and
 * `POST /services/data/vNN.N/sobjects/StreamingChannel/<id>/push` publishes free-text events on them.
 */

export const STREAMING_CHANNEL = 'StreamingChannel';
export const STREAMING_CHANNEL_KEY_PREFIX = '0M6';

/** Adds the `StreamingChannel` object to the org's schema (once). */
export function defineStreamingChannelObject(data: DataStore): void {
  if (data.object(STREAMING_CHANNEL) !== undefined) return;
  data.schema.addObject(
    objectDef({
      name: STREAMING_CHANNEL,
      label: 'Streaming Channel',
      labelPlural: 'Streaming Channels',
      keyPrefix: STREAMING_CHANNEL_KEY_PREFIX,
      mruEnabled: false,
      searchable: false,
      undeletable: false,
      fields: [
        id('Streaming Channel ID'),
        owner(['User']),
        isDeleted(),
        fieldDef({
          name: 'Name',
          label: 'Streaming Channel Name',
          type: 'string',
          length: 80,
          required: true,
          nameField: true,
          unique: true,
          idLookup: true,
        }),
        fieldDef({ name: 'IsDynamic', label: 'Is Dynamic', type: 'boolean', defaultValue: false }),
        fieldDef({ name: 'Description', label: 'Description', type: 'string', length: 255 }),
        ...audit(),
      ],
    }),
    data.now(),
  );
}

const pushBody = z.strictObject({
  pushEvents: z
    .array(
      z.strictObject({
        payload: z.string(),
        userIds: z.array(z.string()).optional(),
      }),
    )
    .min(1),
});

/** What the push route needs from the streaming service. */
export interface GenericPublisher {
  publishGeneric(channel: string, payload: string, userIds?: readonly string[]): number;
  onlineUsers(channel: string): string[];
}

/**
 * `POST .../sobjects/StreamingChannel/<id>/push` with `{"pushEvents":[{"payload":"…","userIds":[]}]}`:
 * one `{"fanoutCount", "userOnlineStatus"}` per pushed event, in order.
 */
export function pushHandler(data: DataStore, publisher: GenericPublisher) {
  return async (ctx: RequestContext): Promise<void> => {
    const raw = ctx.params.id ?? '';
    const channelId = isId(raw) ? to18(raw) : undefined;
    const record = channelId === undefined ? undefined : data.byId(channelId);
    if (
      channelId === undefined ||
      keyPrefixOf(channelId) !== STREAMING_CHANNEL_KEY_PREFIX ||
      record === undefined ||
      record.IsDeleted === true
    ) {
      throw HttpError.rest(404, 'NOT_FOUND', 'The requested resource does not exist');
    }
    const parsed = pushBody.safeParse(await ctx.json());
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? issue.path.join('.') : 'body';
      throw HttpError.rest(400, 'JSON_PARSER_ERROR', `${where}: ${issue?.message ?? 'invalid push request'}`);
    }
    const channel = String(record.Name);
    const results = parsed.data.pushEvents.map((push) => {
      const userIds = (push.userIds ?? []).map((userId) => to18(userId) ?? userId);
      const fanoutCount = publisher.publishGeneric(channel, push.payload, userIds);
      const online = new Set(publisher.onlineUsers(channel));
      const userOnlineStatus: Record<string, boolean> = {};
      for (const userId of userIds) userOnlineStatus[userId] = online.has(userId);
      return { fanoutCount, userOnlineStatus };
    });
    await ctx.sendJson(200, results);
  };
}
