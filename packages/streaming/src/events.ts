/**
 * The event payloads Salesforce sends on each kind of channel: the `data` member of a Bayeux message,
 * handed to your code exactly as it arrived (the `force` and `node-salesforce` seeds did the same), so
 * `event.sobject.Name`, `event.payload.ChangeEventHeader` and `event.event.replayId` read as in
 * Salesforce's documentation. The type parameters describe the fields you selected or defined.
 */

/** `/topic/<Name>`: a record matched a PushTopic's query. */
export interface PushTopicEvent<S extends object = Record<string, unknown>> {
  readonly event: {
    /** `2017-05-16T23:05:50.173Z` (API 37.0 and later; `+0000` before). */
    readonly createdDate: string;
    readonly replayId: number;
    readonly type: 'created' | 'updated' | 'deleted' | 'undeleted';
  };
  /** The fields of the PushTopic's SELECT list (`Id` always; only `Id` for a deleted record). */
  readonly sobject: S & { readonly Id: string };
}

/** `/event/<Name>__e`: a platform event. */
export interface PlatformEvent<P extends object = Record<string, unknown>> {
  /** The schema id (`GET /event/eventSchema/<schema>` describes it). */
  readonly schema: string;
  readonly payload: P & {
    /** `2017-04-09T18:31:40Z` */
    readonly CreatedDate: string;
    readonly CreatedById: string;
    readonly EventUuid?: string;
  };
  readonly event: { readonly replayId: number; readonly EventUuid?: string };
}

export type ChangeType =
  | 'CREATE'
  | 'UPDATE'
  | 'DELETE'
  | 'UNDELETE'
  | 'GAP_CREATE'
  | 'GAP_UPDATE'
  | 'GAP_DELETE'
  | 'GAP_UNDELETE'
  | 'GAP_OVERFLOW';

/** What a change data capture event says about the change. */
export interface ChangeEventHeader {
  /** The object that changed (`Account`, `Distributor__c`). */
  readonly entityName: string;
  /** The changed records: the only place a change event names them (the payload has no `Id`). */
  readonly recordIds: readonly string[];
  readonly changeType: ChangeType;
  /** Fields set by the change (for UPDATE; empty for CREATE, which carries every populated field). */
  readonly changedFields: readonly string[];
  readonly nulledFields?: readonly string[];
  readonly diffFields?: readonly string[];
  /** `com/salesforce/api/<api>/<version>;client=<id>`. */
  readonly changeOrigin: string;
  /** One UUID per transaction; `sequenceNumber` orders the events within it. */
  readonly transactionKey: string;
  readonly sequenceNumber: number;
  /** Epoch milliseconds. */
  readonly commitTimestamp: number;
  readonly commitNumber: number;
  readonly commitUser: string;
}

/** `/data/ChangeEvents`, `/data/<Object>ChangeEvent`: a record change (change data capture). */
export interface ChangeEvent<P extends object = Record<string, unknown>> {
  readonly schema: string;
  readonly payload: P & { readonly ChangeEventHeader: ChangeEventHeader };
  readonly event: { readonly replayId: number };
}

/** `/u/<Name>`: a generic streaming event, whose payload is free text. */
export interface GenericEvent {
  readonly event: { readonly createdDate: string; readonly replayId: number };
  readonly payload: string;
}

/** Any Streaming API event. */
export type StreamingEvent = PushTopicEvent | PlatformEvent | ChangeEvent | GenericEvent;

/** The event type a channel delivers, from its prefix. */
export type EventOf<C extends string> = C extends `/topic/${string}`
  ? PushTopicEvent
  : C extends `/event/${string}`
    ? PlatformEvent
    : C extends `/data/${string}`
      ? ChangeEvent
      : C extends `/u/${string}`
        ? GenericEvent
        : StreamingEvent;

/** The replay id an event carries (`data.event.replayId`), or undefined when it has none. */
export function replayIdOf(data: unknown): number | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const event = (data as { event?: unknown }).event;
  if (typeof event !== 'object' || event === null) return undefined;
  const replayId = (event as { replayId?: unknown }).replayId;
  return typeof replayId === 'number' && Number.isSafeInteger(replayId) ? replayId : undefined;
}

/**
 * When the server created an event, in ms since the epoch: `event.createdDate` (PushTopic, generic),
 * `payload.CreatedDate` (platform event), `payload.ChangeEventHeader.commitTimestamp` (change event).
 */
export function eventTimeOf(data: unknown): number | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const { event, payload } = data as { event?: { createdDate?: unknown }; payload?: unknown };
  if (typeof event?.createdDate === 'string') return parseTime(event.createdDate);
  if (typeof payload !== 'object' || payload === null) return undefined;
  const { CreatedDate, ChangeEventHeader } = payload as {
    CreatedDate?: unknown;
    ChangeEventHeader?: { commitTimestamp?: unknown };
  };
  if (typeof ChangeEventHeader?.commitTimestamp === 'number') return ChangeEventHeader.commitTimestamp;
  if (typeof CreatedDate === 'string') return parseTime(CreatedDate);
  return undefined;
}

function parseTime(text: string): number | undefined {
  // `+0000` (before API 37.0) is not ISO 8601 for Date.parse; make it `+00:00`.
  const time = Date.parse(text.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
  return Number.isNaN(time) ? undefined : time;
}
