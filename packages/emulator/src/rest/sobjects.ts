import { MultipleMatchesException } from '../data/dml.js';
import { dateTimeMs, formatDateTime, parseDateTime } from '../data/values.js';
import { HttpError } from '../http/context.js';
import { isId, keyPrefixOf, to18 } from '../ids.js';
import {
  describeGlobal,
  describeGlobalEntry,
  describeSObject,
  type RecordTypeInfo,
} from '../schema/describe.js';
import type { ObjectDef } from '../schema/field.js';
import type { StoredRecord } from '../schema/types.js';
import { recordUrl, renderRecord, selectFields } from './render.js';
import {
  badRequest,
  type DataRequest,
  type DataResponse,
  json,
  noContent,
  notFoundError,
  withDml,
} from './request.js';

/**
 * The sObject resources: describe global, basic information, describe, record rows (GET, POST, PATCH,
 * DELETE, HEAD), external-id reads and upserts, blob downloads, platform-event publishing, and the
 * replication resources `updated` and `deleted`.
 */

/** The object named in the URL, or 404 NOT_FOUND as Salesforce answers for an unknown sObject. */
export function objectOf(req: DataRequest, name = req.params.object as string): ObjectDef {
  const def = req.org.data.object(name);
  if (def === undefined) throw notFoundError();
  return def;
}

/** Seconds-resolution HTTP date, as `Last-Modified` carries it. */
function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

/** True when the request's `If-Modified-Since` is at or after `modifiedMs` (answer 304). */
function notModifiedSince(req: DataRequest, modifiedMs: number): boolean {
  const header = req.header('if-modified-since');
  if (header === undefined) return false;
  const since = Date.parse(header);
  return Number.isFinite(since) && Math.floor(modifiedMs / 1000) * 1000 <= since;
}

function objectBody(req: DataRequest, def: ObjectDef): Record<string, unknown> {
  const body = req.body;
  if (body === undefined) {
    throw badRequest('JSON_PARSER_ERROR', 'The request body is empty: send the record as a JSON object');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    const token = Array.isArray(body) ? 'START_ARRAY' : body === null ? 'VALUE_NULL' : 'VALUE_STRING';
    throw badRequest(
      'JSON_PARSER_ERROR',
      `Cannot deserialize instance of ${def.name} from ${token} value ${JSON.stringify(body)} or request may be missing a required field at [line:1, column:1]`,
    );
  }
  return withUploadedFiles(req, def, body as Record<string, unknown>);
}

/** Multipart uploads: the binary part named after a blob field becomes that field's value. */
function withUploadedFiles(
  req: DataRequest,
  def: ObjectDef,
  body: Record<string, unknown>,
): Record<string, unknown> {
  if (req.files.size === 0) return body;
  const out = { ...body };
  for (const [name, file] of req.files) {
    const field = def.fields.find((f) => f.type === 'base64' && f.name.toLowerCase() === name.toLowerCase());
    if (field === undefined) {
      throw badRequest('INVALID_FIELD', `No such column '${name}' on sobject of type ${def.name}`);
    }
    out[field.name] = file.bytes.toString('base64');
  }
  return out;
}

// ---- describe -----------------------------------------------------------------------------------

export function describeGlobalHandler(req: DataRequest): DataResponse {
  const modified = req.org.data.schema.globalModifiedAt;
  if (notModifiedSince(req, modified)) return noContent(304);
  return json(200, describeGlobal(req.org.data.objects(), req.version), {
    'Last-Modified': httpDate(modified),
  });
}

export function basicInfoHandler(req: DataRequest): DataResponse {
  const def = objectOf(req);
  const rows = req.org.data.records(def.name);
  const recent: Record<string, unknown>[] = [];
  for (let i = rows.length - 1; i >= 0 && recent.length < 10; i--) {
    const row = rows[i] as StoredRecord;
    if (row.IsDeleted === true) continue;
    const item: Record<string, unknown> = {
      attributes: { type: def.name, url: recordUrl(req.version, def.name, row.Id as string) },
      Id: row.Id,
    };
    if ('Name' in row) item.Name = row.Name;
    recent.push(item);
  }
  return json(200, { objectDescribe: describeGlobalEntry(def, req.version), recentItems: recent });
}

function recordTypesOf(req: DataRequest, def: ObjectDef): RecordTypeInfo[] {
  return req.org.data
    .records('RecordType')
    .filter((rt) => rt.IsDeleted !== true && String(rt.SobjectType).toLowerCase() === def.name.toLowerCase())
    .map((rt) => ({
      id: rt.Id as string,
      name: String(rt.Name),
      developerName: String(rt.DeveloperName),
      active: rt.IsActive === true,
    }));
}

export function describeHandler(req: DataRequest): DataResponse {
  const def = objectOf(req);
  const modified = req.org.data.schema.modifiedAt(def.name);
  if (notModifiedSince(req, modified)) return noContent(304);
  const body = describeSObject(def, {
    version: req.version,
    instanceUrl: req.org.url,
    recordTypes: recordTypesOf(req, def),
  });
  return json(200, body, { 'Last-Modified': httpDate(modified) });
}

// ---- create -------------------------------------------------------------------------------------

export function createHandler(req: DataRequest): DataResponse {
  const def = objectOf(req);
  const body = objectBody(req, def);
  if (def.eventObject) {
    const published = withDml(req, (dml) => dml.publish(def.name, body));
    return json(201, {
      id: published.id,
      success: true,
      errors: [{ statusCode: 'OPERATION_ENQUEUED', message: published.eventUuid, fields: [] }],
    });
  }
  const id = withDml(req, (dml) => dml.create(def.name, body));
  return json(201, { id, success: true, errors: [] }, { Location: recordUrl(req.version, def.name, id) });
}

// ---- one record ---------------------------------------------------------------------------------

/**
 * The id in `/sobjects/X/{id}`: a valid id of this object, or MALFORMED_ID for another object's id.
 * A segment that is not an id at all is read as an external-id field name, as Salesforce does.
 */
/** Sub-resources describe advertises that the emulator does not serve: a plain 404, not an external-id miss. */
const UNSERVED_RESOURCES = new Set(['listviews', 'quickactions', 'defaultvalues', 'eventschema', 'layouts']);

function recordId(def: ObjectDef, segment: string): string {
  if (UNSERVED_RESOURCES.has(segment.toLowerCase())) throw notFoundError();
  if (!isId(segment)) {
    throw notFoundError(`Provided external ID field does not exist or is not accessible: ${segment}`);
  }
  const id18 = to18(segment) as string;
  if (keyPrefixOf(id18) !== def.keyPrefix) {
    throw badRequest('MALFORMED_ID', `${def.label} ID: id value of incorrect type: ${segment}`, ['Id']);
  }
  return id18;
}

function readable(req: DataRequest, def: ObjectDef, id18: string): StoredRecord {
  const record = req.org.data.byId(id18);
  if (record === undefined) throw notFoundError();
  if (record.IsDeleted === true) throw HttpError.rest(404, 'ENTITY_IS_DELETED', 'entity is deleted', []);
  if (def.eventObject) throw notFoundError();
  return record;
}

function lastModified(record: StoredRecord): number | undefined {
  const stamp = record.SystemModstamp ?? record.LastModifiedDate;
  return typeof stamp === 'string' ? dateTimeMs(stamp) : undefined;
}

function recordResponse(req: DataRequest, def: ObjectDef, record: StoredRecord): DataResponse {
  const modified = lastModified(record);
  if (modified !== undefined && notModifiedSince(req, modified)) return noContent(304);
  const fields = selectFields(def, req.query.get('fields'));
  const headers: Record<string, string> = {};
  if (modified !== undefined) headers['Last-Modified'] = httpDate(modified);
  return json(200, renderRecord(def, record, req.version, fields), headers);
}

export function getRecordHandler(req: DataRequest): DataResponse {
  const def = objectOf(req);
  const id = recordId(def, req.params.id as string);
  return recordResponse(req, def, readable(req, def, id));
}

export function updateRecordHandler(req: DataRequest): DataResponse {
  const def = objectOf(req);
  const id = recordId(def, req.params.id as string);
  const body = objectBody(req, def);
  withDml(req, (dml) => dml.update(id, body, def.name));
  return noContent(204);
}

export function deleteRecordHandler(req: DataRequest): DataResponse {
  const def = objectOf(req);
  const id = recordId(def, req.params.id as string);
  withDml(req, (dml) => dml.delete(id, def.name));
  return noContent(204);
}

/** `POST /sobjects/X/Id`: a create answered in the upsert shape (v37+); any other POST target is 405. */
export function postToRecordHandler(req: DataRequest): DataResponse {
  const def = objectOf(req);
  if ((req.params.id as string).toLowerCase() !== 'id') {
    throw new HttpError(
      405,
      [
        {
          message: "HTTP Method 'POST' not allowed. Allowed are HEAD,GET,PATCH,DELETE",
          errorCode: 'METHOD_NOT_ALLOWED',
        },
      ],
      { Allow: 'HEAD, GET, PATCH, DELETE' },
    );
  }
  const body = objectBody(req, def);
  const id = withDml(req, (dml) => dml.create(def.name, body));
  return json(
    201,
    { id, success: true, errors: [], created: true },
    { Location: recordUrl(req.version, def.name, id) },
  );
}

// ---- external ids, upsert, blobs ------------------------------------------------------------------

function externalField(def: ObjectDef, name: string) {
  const field = def.fields.find((f) => f.name.toLowerCase() === name.toLowerCase());
  if (field === undefined || !(field.externalId || field.idLookup)) {
    throw notFoundError(`Provided external ID field does not exist or is not accessible: ${name}`);
  }
  return field;
}

function multipleChoices(req: DataRequest, def: ObjectDef, ids: readonly string[]): DataResponse {
  return json(
    300,
    ids.map((id) => recordUrl(req.version, def.name, id)),
  );
}

/** Live records whose external-id (or id-lookup) field equals the value. */
function matchExternal(req: DataRequest, def: ObjectDef, fieldName: string, value: string): string[] {
  const field = externalField(def, fieldName);
  if (field.type === 'id') {
    const id18 = isId(value) ? to18(value) : undefined;
    const record = id18 === undefined ? undefined : req.org.data.byId(id18);
    return record !== undefined && record.IsDeleted !== true && keyPrefixOf(id18 as string) === def.keyPrefix
      ? [id18 as string]
      : [];
  }
  return [...req.org.data.lookup.findByField(def.name, field, value)];
}

/** `GET /sobjects/X/{id}/{blobField}` downloads a body; `GET /sobjects/X/{extField}/{value}` reads by external id. */
export function getByExternalIdHandler(req: DataRequest): DataResponse {
  const def = objectOf(req);
  const first = req.params.field as string;
  const second = req.params.value as string;
  if (isId(first)) {
    const blobField = def.fields.find(
      (f) => f.type === 'base64' && f.name.toLowerCase() === second.toLowerCase(),
    );
    if (blobField !== undefined) {
      const id = recordId(def, first);
      readable(req, def, id);
      const blob = req.org.data.blob(id, blobField.name);
      if (blob === undefined) throw notFoundError();
      return { status: 200, raw: { bytes: blob.bytes, contentType: blob.contentType } };
    }
  }
  if (first.toLowerCase() === 'describe' || UNSERVED_RESOURCES.has(first.toLowerCase()))
    throw notFoundError();
  const ids = matchExternal(req, def, first, second);
  if (ids.length === 0) throw notFoundError();
  if (ids.length > 1) return multipleChoices(req, def, ids);
  return recordResponse(req, def, readable(req, def, ids[0] as string));
}

export function deleteByExternalIdHandler(req: DataRequest): DataResponse {
  const def = objectOf(req);
  const ids = matchExternal(req, def, req.params.field as string, req.params.value as string);
  if (ids.length === 0) throw notFoundError();
  if (ids.length > 1) return multipleChoices(req, def, ids);
  withDml(req, (dml) => dml.delete(ids[0] as string, def.name));
  return noContent(204);
}

/** `PATCH /sobjects/X/{extField}/{value}`: 201 created, 200 `created:false` (v46+) or 204 (v45-), 300. */
export function upsertHandler(req: DataRequest): DataResponse {
  const def = objectOf(req);
  const body = objectBody(req, def);
  const updateOnly = req.query.get('updateOnly') === 'true';
  let result: { id: string; created: boolean };
  try {
    result = withDml(req, (dml) =>
      dml.upsert(def.name, req.params.field as string, req.params.value as string, body, { updateOnly }),
    );
  } catch (error) {
    if (error instanceof MultipleMatchesException) return multipleChoices(req, def, error.ids);
    throw error;
  }
  const modern = Number(req.version) >= 46;
  const location = { Location: recordUrl(req.version, def.name, result.id) };
  if (result.created) {
    const body201 = modern
      ? { id: result.id, success: true, errors: [], created: true }
      : { id: result.id, success: true, errors: [] };
    return json(201, body201, location);
  }
  if (!modern) return noContent(204);
  return json(200, { id: result.id, success: true, errors: [], created: false }, location);
}

// ---- replication ----------------------------------------------------------------------------------

const THIRTY_DAYS = 30 * 86_400_000;

function replicationWindow(req: DataRequest): { start: number; end: number } {
  const startText = req.query.get('start');
  const endText = req.query.get('end');
  const start = startText === null ? undefined : parseDateTime(startText.trim());
  const end = endText === null ? undefined : parseDateTime(endText.trim());
  if (start === undefined || end === undefined) {
    const missing = start === undefined ? 'start' : 'end';
    throw badRequest(
      'INVALID_REPLICATION_DATE',
      `${missing} must be an ISO 8601 date and time, e.g. 2024-01-31T00:00:00+00:00`,
    );
  }
  if (end - start < 60_000) {
    throw badRequest(
      'INVALID_REPLICATION_DATE',
      'startDate must chronologically precede endDate by more than one minute',
    );
  }
  if (req.org.clock.now() - start > THIRTY_DAYS) {
    throw badRequest('INVALID_REPLICATION_DATE', 'startDate cannot be more than 30 days ago');
  }
  return { start, end };
}

/** Replication results cover whole minutes. */
function minuteFloor(ms: number): number {
  return Math.floor(ms / 60_000) * 60_000;
}

export function updatedHandler(req: DataRequest): DataResponse {
  const def = objectOf(req);
  const { start, end } = replicationWindow(req);
  const covered = minuteFloor(Math.min(end, req.org.clock.now()));
  const ids: string[] = [];
  for (const row of req.org.data.records(def.name)) {
    if (row.IsDeleted === true) continue;
    const stamp = lastModified(row);
    if (stamp !== undefined && stamp >= start && stamp < covered) ids.push(row.Id as string);
  }
  return json(200, { ids, latestDateCovered: formatDateTime(covered) });
}

export function deletedHandler(req: DataRequest): DataResponse {
  const def = objectOf(req);
  const { start, end } = replicationWindow(req);
  const covered = minuteFloor(Math.min(end, req.org.clock.now()));
  const table = req.org.data.table(def.name);
  const deletedRecords: { id: string; deletedDate: string }[] = [];
  for (const [id, at] of table.deletedAt) {
    if (at >= start && at < covered)
      deletedRecords.push({ id, deletedDate: formatDateTime(Math.floor(at / 1000) * 1000) });
  }
  return json(200, {
    deletedRecords,
    earliestDateAvailable: formatDateTime(minuteFloor(req.org.clock.now() - THIRTY_DAYS)),
    latestDateCovered: formatDateTime(covered),
  });
}
