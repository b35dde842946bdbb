// The machinery behind tracked records. Hot path: `trackPage()` runs once per record of every query
// page, so a tracked record is one Proxy over the object JSON.parse produced, with one handler shared by
// all records and no per-record closure. The per-record state (`RecordState`) lives in a WeakMap and is
// created on the first assignment only: a record that is read and never written costs one allocation.
//
// Measured on this machine (2,000-record pages of 13 fields, ~850 KB; JSON.parse of a page ~2.8 ms):
// wrapping a page in Proxies ~0.12 ms; Object.setPrototypeOf per record ~0.76 ms; a shallow snapshot copy
// per record ~0.54 ms (and twice the memory); a wrapper class with prototype accessors ~0.02 ms but
// `{ ...record }`, `Object.keys` and `console.log` then show nothing. The Proxy keeps records behaving as
// plain objects at a cost under 1% of a page's round trip.

/** Per-record tracking state, created lazily. */
export interface RecordState {
  /** Field -> the value it had before its first assignment (`NEW_FIELD` when it had none). */
  readonly originals: Map<string, unknown>;
  /** The sObject type of a record that carries no `attributes` (created with `createSObject`). */
  type: string | undefined;
  /** The field `setExternalId()` named. */
  externalIdField: string | undefined;
}

/** Answered by a tracked record's proxy with the record object behind it. Never enumerable. */
export const TARGET: unique symbol = Symbol('forcekit.trackedRecord');

/** The marker of a field that did not exist before it was assigned. */
export const NEW_FIELD: unique symbol = Symbol('forcekit.newField');

type Target = Record<string, unknown>;

const states = new WeakMap<Target, RecordState>();

export function stateOf(target: object): RecordState | undefined {
  return states.get(target as Target);
}

function ensureState(target: Target): RecordState {
  let state = states.get(target);
  if (state === undefined) {
    state = { originals: new Map(), type: undefined, externalIdField: undefined };
    states.set(target, state);
  }
  return state;
}

/** The record object behind a tracked record, or undefined for anything else. */
export function targetOf(value: unknown): Target | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  return (value as { [TARGET]?: Target })[TARGET];
}

function noteAssignment(target: Target, key: string): void {
  const state = ensureState(target);
  if (!state.originals.has(key)) {
    state.originals.set(key, Object.hasOwn(target, key) ? target[key] : NEW_FIELD);
  }
}

function plain(value: unknown, keepAttributes: boolean): unknown {
  if (value === null || typeof value !== 'object') return value;
  const source = targetOf(value) ?? value;
  if (Array.isArray(source)) return source.map((item) => plain(item, keepAttributes));
  if (source instanceof Date) return source;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    if (key === 'attributes' && !keepAttributes) continue;
    out[key] = plain((source as Record<string, unknown>)[key], keepAttributes);
  }
  return out;
}

/** A plain deep copy of a record's data; `attributes` kept only when asked. */
export function plainCopy(value: object, keepAttributes: boolean): Record<string, unknown> {
  return plain(value, keepAttributes) as Record<string, unknown>;
}

// The methods a tracked record answers to. `this` is the proxy.
function toJSON(this: object, options?: unknown): Record<string, unknown> {
  // JSON.stringify passes the property key (a string); only an options object asks for attributes.
  const keep =
    options !== null &&
    typeof options === 'object' &&
    (options as { attributes?: unknown }).attributes === true;
  return plainCopy(this, keep);
}

function setExternalId(this: object, field: unknown, value: unknown): void {
  const target = targetOf(this) as Target;
  if (typeof field !== 'string' || !/^[A-Za-z][A-Za-z0-9_]*$/.test(field)) {
    throw new TypeError(
      `setExternalId: field must be a field name such as 'Ext__c', got ${JSON.stringify(field)}`,
    );
  }
  if (typeof value !== 'string' && typeof value !== 'number') {
    throw new TypeError(`setExternalId: the value of ${field} must be a string or a number`);
  }
  noteAssignment(target, field);
  target[field] = value;
  ensureState(target).externalIdField = field;
}

const handler: ProxyHandler<Target> = {
  get(target, key) {
    if (typeof key === 'string') {
      // Salesforce field names start with a capital or end in __c: they never shadow these methods.
      if (key === 'toJSON') return toJSON;
      if (key === 'setExternalId') return setExternalId;
      return target[key];
    }
    if (key === TARGET) return target;
    return Reflect.get(target, key);
  },
  set(target, key, value) {
    if (typeof key === 'string' && key !== 'attributes' && !Object.is(target[key], value)) {
      noteAssignment(target, key);
    }
    return Reflect.set(target, key, value);
  },
  defineProperty(target, key, descriptor) {
    if (typeof key === 'string' && 'value' in descriptor && !Object.is(target[key], descriptor.value)) {
      noteAssignment(target, key);
    }
    return Reflect.defineProperty(target, key, descriptor);
  },
  deleteProperty(target, key) {
    // Deleting a field means "do not send it", not "clear it" (assign null for that).
    if (typeof key === 'string') states.get(target)?.originals.delete(key);
    return Reflect.deleteProperty(target, key);
  },
};

/** Wraps one record object. */
export function trackedProxy(target: Target): Target {
  return new Proxy(target, handler);
}

/** Marks a freshly created record: its type, and every given field as assigned. */
export function trackNew(target: Target, type: string, fields: readonly string[]): void {
  const state = ensureState(target);
  state.type = type;
  for (const field of fields) state.originals.set(field, NEW_FIELD);
}

/**
 * Wraps every record of a page in place (the array is the one JSON.parse produced, owned by the caller).
 * Child subquery results (`{ totalSize, done, records }`) are wrapped too when `children` is true.
 */
export function trackPage(records: unknown[], children: boolean): void {
  for (let i = 0; i < records.length; i++) {
    const record = records[i] as Target;
    if (children) trackChildren(record);
    records[i] = new Proxy(record, handler);
  }
}

function trackChildren(record: Target): void {
  for (const key in record) {
    const value = record[key];
    if (isQueryResult(value)) trackPage(value.records, true);
  }
}

/** A nested child-relationship result: `{ totalSize, done, records: [...] }`. */
export function isQueryResult(
  value: unknown,
): value is { records: unknown[]; done: boolean; nextRecordsUrl?: string } {
  return (
    value !== null &&
    typeof value === 'object' &&
    Array.isArray((value as { records?: unknown }).records) &&
    typeof (value as { done?: unknown }).done === 'boolean'
  );
}
