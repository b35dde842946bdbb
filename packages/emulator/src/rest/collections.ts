import type { Dml } from '../data/dml.js';
import { type DmlError, DmlException, dmlError, ROLLED_BACK_MESSAGE } from '../data/errors.js';
import { isId, keyPrefixOf, to18 } from '../ids.js';
import type { StoredRecord } from '../schema/types.js';
import { renderRecord, selectFields } from './render.js';
import { badRequest, type DataRequest, type DataResponse, json, withDml } from './request.js';
import { objectOf } from './sobjects.js';

/**
 * sObject Collections (`/composite/sobjects`): create, update, upsert and delete up to 200 records and
 * retrieve up to 2000, with one result per record in input order (`statusCode` errors) and `allOrNone`
 * rolling back every record when one fails.
 */

const MAX_RECORDS = 200;
const MAX_RETRIEVE_IDS = 2000;

interface RecordResult {
  id?: string;
  success: boolean;
  errors: DmlError[];
  created?: boolean;
}

function limitExceeded(): never {
  throw badRequest(
    'EXCEEDED_ID_LIMIT',
    'record limit reached. cannot submit more than 200 records into this call',
  );
}

function collectionBody(req: DataRequest): { allOrNone: boolean; records: unknown[] } {
  const body = req.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('JSON_PARSER_ERROR', 'The request body must be a JSON object with "records"');
  }
  const { allOrNone, records } = body as { allOrNone?: unknown; records?: unknown };
  if (!Array.isArray(records)) {
    throw badRequest('INVALID_FIELD', 'records: the request must contain a "records" array');
  }
  if (records.length > MAX_RECORDS) limitExceeded();
  if (allOrNone !== undefined && typeof allOrNone !== 'boolean') {
    throw badRequest('JSON_PARSER_ERROR', 'allOrNone must be true or false');
  }
  return { allOrNone: allOrNone ?? false, records };
}

/** The record's `attributes.type`, or the per-record error Salesforce gives without one. */
function typeOf(record: unknown): { type: string; fields: Record<string, unknown> } | DmlError {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    return dmlError('JSON_PARSER_ERROR', 'Each record must be a JSON object');
  }
  const type = (record as { attributes?: { type?: unknown } }).attributes?.type;
  if (typeof type !== 'string' || type === '') {
    return dmlError('INVALID_TYPE', 'Must send a concrete entity type.');
  }
  return { type, fields: record as Record<string, unknown> };
}

/**
 * Runs one operation per record, each in a savepoint so a failed record leaves no trace; with
 * allOrNone, one failure undoes all and the successes report ALL_OR_NONE_OPERATION_ROLLED_BACK.
 */
function runEach<T>(
  req: DataRequest,
  allOrNone: boolean,
  items: readonly T[],
  operation: (dml: Dml, item: T, result: RecordResult) => void,
): RecordResult[] {
  return withDml(req, (dml) => {
    const start = dml.mark();
    const results = items.map((item) => {
      const result: RecordResult = { success: false, errors: [] };
      try {
        dml.savepoint(() => operation(dml, item, result));
        result.success = true;
      } catch (error) {
        if (!(error instanceof DmlException)) throw error;
        result.errors = [...error.errors];
      }
      return result;
    });
    if (allOrNone && results.some((r) => !r.success)) {
      dml.rollbackTo(start);
      for (const result of results) {
        if (!result.success) continue;
        result.success = false;
        result.errors = [dmlError('ALL_OR_NONE_OPERATION_ROLLED_BACK', ROLLED_BACK_MESSAGE)];
        delete result.created;
      }
    }
    return results;
  });
}

function shape(result: RecordResult, withCreated: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (result.id !== undefined) out.id = result.id;
  out.success = result.success;
  out.errors = result.errors.map((e) => ({ statusCode: e.statusCode, message: e.message, fields: e.fields }));
  if (withCreated && result.created !== undefined) out.created = result.created;
  return out;
}

export function collectionCreateHandler(req: DataRequest): DataResponse {
  const { allOrNone, records } = collectionBody(req);
  const results = runEach(req, allOrNone, records, (dml, record, result) => {
    const typed = typeOf(record);
    if ('statusCode' in typed) throw new DmlException([typed]);
    result.id = dml.create(typed.type, withoutAttributes(typed.fields));
  });
  return json(
    200,
    results.map((r) => shape(r, false)),
  );
}

export function collectionUpdateHandler(req: DataRequest): DataResponse {
  const { allOrNone, records } = collectionBody(req);
  const results = runEach(req, allOrNone, records, (dml, record, result) => {
    const typed = typeOf(record);
    if ('statusCode' in typed) throw new DmlException([typed]);
    const idKey = Object.keys(typed.fields).find((k) => k.toLowerCase() === 'id');
    const id = idKey === undefined ? undefined : typed.fields[idKey];
    if (typeof id !== 'string' || id === '') {
      throw new DmlException([dmlError('MISSING_ARGUMENT', 'Id not specified in an update call', ['Id'])]);
    }
    dml.update(id, withoutAttributes(typed.fields), typed.type);
    result.id = to18(id) as string;
  });
  return json(
    200,
    results.map((r) => shape(r, false)),
  );
}

export function collectionUpsertHandler(req: DataRequest): DataResponse {
  const def = objectOf(req);
  const fieldName = req.params.field as string;
  const { allOrNone, records } = collectionBody(req);
  const field = def.fields.find((f) => f.name.toLowerCase() === fieldName.toLowerCase());
  if (field === undefined || !(field.externalId || field.type === 'id')) {
    throw badRequest(
      'INVALID_FIELD',
      `Provided external ID field does not exist or is not accessible: ${fieldName}`,
    );
  }
  const results = runEach(req, allOrNone, records, (dml, record, result) => {
    const typed = typeOf(record);
    if ('statusCode' in typed) throw new DmlException([typed]);
    if (typed.type.toLowerCase() !== def.name.toLowerCase()) {
      throw new DmlException([
        dmlError('INVALID_TYPE', `All records must be of type ${def.name} for this upsert`),
      ]);
    }
    const upserted = dml.upsert(def.name, field.name, undefined, withoutAttributes(typed.fields));
    result.id = upserted.id;
    result.created = upserted.created;
  });
  return json(
    200,
    results.map((r) => shape(r, true)),
  );
}

export function collectionDeleteHandler(req: DataRequest): DataResponse {
  const idsParam = req.query.get('ids');
  const ids = (idsParam ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (ids.length === 0) throw badRequest('REQUIRED_FIELD_MISSING', 'At least 1 Id is required.');
  if (ids.length > MAX_RECORDS) limitExceeded();
  const allOrNone = req.query.get('allOrNone') === 'true';
  const results = runEach(req, allOrNone, ids, (dml, id, result) => {
    if (!isId(id)) {
      throw new DmlException([dmlError('MALFORMED_ID', `malformed id ${id}`, [])]);
    }
    result.id = to18(id) as string;
    dml.delete(id);
  });
  return json(
    200,
    results.map((r) => shape(r, false)),
  );
}

/** GET `?ids=&fields=` or POST `{ids, fields}`: records in id order, `null` for ids not found. */
export function collectionRetrieveHandler(req: DataRequest): DataResponse {
  const def = objectOf(req);
  let ids: string[];
  let fieldList: string | null;
  if (req.method === 'POST') {
    const body = req.body as { ids?: unknown; fields?: unknown } | undefined;
    if (typeof body !== 'object' || body === null || !Array.isArray(body.ids)) {
      throw badRequest('JSON_PARSER_ERROR', 'The request body must be {"ids": [...], "fields": [...]}');
    }
    ids = body.ids.map(String);
    fieldList = Array.isArray(body.fields) ? body.fields.map(String).join(',') : null;
  } else {
    ids = (req.query.get('ids') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    fieldList = req.query.get('fields');
  }
  if (ids.length === 0) throw badRequest('REQUIRED_FIELD_MISSING', 'At least 1 Id is required.');
  if (fieldList === null || fieldList.trim() === '') {
    throw badRequest('REQUIRED_FIELD_MISSING', 'At least 1 field is required.');
  }
  const limit = req.method === 'POST' ? MAX_RETRIEVE_IDS : MAX_RECORDS;
  if (ids.length > limit) {
    throw badRequest(
      'EXCEEDED_ID_LIMIT',
      `record limit reached. cannot submit more than ${limit} records into this call`,
    );
  }
  const fields = selectFields(def, fieldList);
  const records = ids.map((id) => {
    const id18 = isId(id) ? (to18(id) as string) : undefined;
    if (id18 === undefined || keyPrefixOf(id18) !== def.keyPrefix) {
      throw badRequest('MALFORMED_ID', `${def.label} ID: id value of incorrect type: ${id}`, ['Id']);
    }
    const record: StoredRecord | undefined = req.org.data.byId(id18);
    return record === undefined || record.IsDeleted === true
      ? null
      : renderRecord(def, record, req.version, fields);
  });
  return json(200, records);
}

function withoutAttributes(fields: Record<string, unknown>): Record<string, unknown> {
  const { attributes: _attributes, ...rest } = fields;
  return rest;
}
