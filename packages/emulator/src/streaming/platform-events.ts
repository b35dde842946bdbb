import type { PlatformEventMessage } from '../data/events.js';
import type { ObjectDef } from '../schema/field.js';
import type { EventData } from './event-stream.js';
import { eventValue, schemaIdOf } from './wire-values.js';

/** System fields of an event object that the payload does not repeat (`ReplayId` is in `event`). */
const NOT_IN_PAYLOAD = new Set(['ReplayId', 'CreatedDate', 'CreatedById', 'EventUuid']);

/**
 * The `data` of a platform-event message on `/event/<Name>__e`:
 * `{"schema", "payload": {CreatedDate, CreatedById, <fields>..., EventUuid}, "event": {replayId, EventUuid}}`.
 * `EventUuid` appears in both places as in current API versions (older recordings lack it).
 */
export function platformEventData(
  def: ObjectDef,
  message: PlatformEventMessage,
  replayId: number,
): EventData {
  const payload: Record<string, unknown> = {
    CreatedDate: eventValue('datetime', message.payload.CreatedDate ?? null),
    CreatedById: message.payload.CreatedById ?? message.userId,
  };
  for (const field of def.fields) {
    if (NOT_IN_PAYLOAD.has(field.name)) continue;
    payload[field.name] = eventValue(field.type, message.payload[field.name] ?? null);
  }
  payload.EventUuid = message.eventUuid;
  return {
    schema: schemaIdOf(def, 'event'),
    payload,
    event: { replayId, EventUuid: message.eventUuid },
  };
}
