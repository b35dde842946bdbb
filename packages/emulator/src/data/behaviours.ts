import { createHash } from 'node:crypto';
import type { ObjectDef } from '../schema/field.js';
import { OPPORTUNITY_STAGES } from '../schema/standard/sales.js';
import { CLOSED_CASE_STATUSES } from '../schema/standard/service.js';
import type { StoredRecord, StoredValue } from '../schema/types.js';
import { type DmlError, requiredFieldsMissing } from './errors.js';
import type { BlobInput } from './validate.js';
import { dateTimeMs, formatDate, formatDateTime, parseDateTime } from './values.js';

/**
 * What Salesforce computes when a record is saved: compound addresses and names, auto-numbers,
 * opportunity stage facts, closed flags, activity dates, file sizes and the ContentDocument behind a
 * new ContentVersion. Each behaviour edits the draft record in place and may return save errors.
 */

export type Draft = Record<string, StoredValue>;

export interface SaveContext {
  readonly def: ObjectDef;
  readonly mode: 'create' | 'update';
  readonly previous: StoredRecord | undefined;
  /** Fields the caller set explicitly in this save. */
  readonly explicit: ReadonlySet<string>;
  readonly now: number;
  readonly userId: string;
  readonly blobs: readonly BlobInput[];
  /** A record by 18-character id (deleted included). */
  lookup(id: string): StoredRecord | undefined;
  /** The next auto-number of this object (1-based, per object). */
  nextAutoNumber(): number;
  /** Writes the platform makes to other records in the same transaction. */
  readonly related: RelatedWrites;
}

/** Saves of other records that a save implies (the ContentDocument behind a ContentVersion). */
export interface RelatedWrites {
  /** Inserts a record without the API's createable checks; returns its id. */
  create(objectName: string, values: Readonly<Record<string, StoredValue>>): string;
  /** Sets fields on a record without the API's updateable checks. */
  update(id: string, values: Readonly<Record<string, StoredValue>>): void;
  /** Live records of an object whose field equals the value. */
  find(objectName: string, field: string, value: StoredValue): readonly StoredRecord[];
}

type Behaviour = (draft: Draft, ctx: SaveContext) => DmlError[] | undefined;

const ADDRESS_PARTS = [
  ['city', 'City'],
  ['country', 'Country'],
  ['geocodeAccuracy', 'GeocodeAccuracy'],
  ['latitude', 'Latitude'],
  ['longitude', 'Longitude'],
  ['postalCode', 'PostalCode'],
  ['state', 'State'],
  ['street', 'Street'],
] as const;

/** What an object's saves compute, worked out once per definition (a million generated rows reuse it). */
interface Plan {
  /** Compound address fields with the prefix of their components (`BillingAddress`, `Billing`). */
  readonly addresses: readonly (readonly [string, readonly (readonly [string, string])[]])[];
  readonly personName: boolean;
  readonly autoNumberFields: readonly string[];
  /** A custom object's text Name, which defaults to the record's Id. */
  readonly nameDefaultsToId: boolean;
  readonly own: Behaviour | undefined;
  readonly fillAddresses: AddressFill | undefined;
}

const plans = new WeakMap<ObjectDef, Plan>();

function planOf(def: ObjectDef): Plan {
  let plan = plans.get(def);
  if (plan !== undefined) return plan;
  const name = def.fields.find((f) => f.name === 'Name');
  plan = {
    addresses: def.fields
      .filter((f) => f.type === 'address')
      .map((f) => {
        const prefix = f.name.slice(0, -'Address'.length);
        return [f.name, ADDRESS_PARTS.map(([key, suffix]) => [key, `${prefix}${suffix}`] as const)] as const;
      }),
    personName: name?.extraTypeInfo === 'personname',
    autoNumberFields: def.fields.filter((f) => f.autoNumber).map((f) => f.name),
    nameDefaultsToId: def.custom && !def.eventObject && name !== undefined && !name.autoNumber,
    own: OBJECT_BEHAVIOURS[def.name.toLowerCase()],
    fillAddresses: undefined,
  };
  if (plan.addresses.length > 0) plan = { ...plan, fillAddresses: compileAddresses(plan.addresses) };
  plans.set(def, plan);
  return plan;
}

/**
 * Compound values are immutable, so records with the same address share one object; a small cache
 * keeps a million generated records from carrying a million identical copies.
 */
const addressCache = new Map<StoredValue, Record<string, StoredValue>[]>();
const ADDRESS_CACHE_LIMIT = 10_000;
const BUCKET_LIMIT = 32;
let cachedAddresses = 0;

/** The cached address with exactly these components, or a new one (cached when there is room). */
function sharedAddress(
  city: StoredValue,
  country: StoredValue,
  geocodeAccuracy: StoredValue,
  latitude: StoredValue,
  longitude: StoredValue,
  postalCode: StoredValue,
  state: StoredValue,
  street: StoredValue,
): Record<string, StoredValue> {
  // Bucketed by city: generated and real data repeat cities, and a string's hash is computed once.
  const bucket = addressCache.get(city);
  if (bucket !== undefined) {
    for (const c of bucket) {
      if (
        c.street === street &&
        c.postalCode === postalCode &&
        c.state === state &&
        c.country === country &&
        c.latitude === latitude &&
        c.longitude === longitude &&
        c.geocodeAccuracy === geocodeAccuracy
      ) {
        return c;
      }
    }
  }
  const value = { city, country, geocodeAccuracy, latitude, longitude, postalCode, state, street };
  if (cachedAddresses >= ADDRESS_CACHE_LIMIT) {
    addressCache.clear();
    cachedAddresses = 0;
  }
  if (bucket === undefined) addressCache.set(city, [value]);
  else if (bucket.length < BUCKET_LIMIT) bucket.push(value);
  else return value;
  cachedAddresses++;
  return value;
}

type AddressFill = (draft: Draft, shared: typeof sharedAddress) => void;

/**
 * Recomputes every compound address field (`BillingAddress`) from its components, as one generated
 * function per object: named property reads are monomorphic, variable-key reads are not, and a
 * million generated records run this. Field names come from the schema as JSON string literals.
 */
function compileAddresses(addresses: Plan['addresses']): AddressFill {
  const blocks = addresses.map(([compound, parts]) => {
    const reads = parts.map(([, field], i) => `const v${i} = draft[${JSON.stringify(field)}] ?? null;`);
    const allNull = parts.map((_, i) => `v${i} === null`).join(' && ');
    const args = parts.map((_, i) => `v${i}`).join(', ');
    return `{ ${reads.join(' ')} draft[${JSON.stringify(compound)}] = ${allNull} ? null : shared(${args}); }`;
  });
  return new Function(`return function addresses(draft, shared) { ${blocks.join('\n')} };`)() as AddressFill;
}

/** `Name` of person objects: `First Last`. */
function personName(draft: Draft): void {
  const first = draft.FirstName;
  const last = draft.LastName;
  const hasFirst = typeof first === 'string' && first !== '';
  const hasLast = typeof last === 'string' && last !== '';
  draft.Name = hasFirst && hasLast ? `${first} ${last}` : hasFirst ? first : hasLast ? last : null;
}

/** Auto-number fields get the next number on create; custom objects' text Name defaults to the Id. */
function autoNumbers(draft: Draft, ctx: SaveContext, plan: Plan, format: string | undefined): void {
  if (ctx.mode !== 'create') return;
  for (const field of plan.autoNumberFields) {
    draft[field] = formatAutoNumber(format ?? '{00000000}', ctx.nextAutoNumber());
  }
  if (plan.nameDefaultsToId && draft.Name === null) draft.Name = draft.Id ?? null;
}

/** `F-{0000}` with 7 -> `F-0007`. */
export function formatAutoNumber(format: string, n: number): string {
  return format.replace(/\{(0+)\}/, (_, zeros: string) => String(n).padStart(zeros.length, '0'));
}

function opportunity(draft: Draft, ctx: SaveContext): undefined {
  const stage = OPPORTUNITY_STAGES.find((s) => s.value === draft.StageName);
  const stageChanged = ctx.mode === 'create' || ctx.explicit.has('StageName');
  if (stage) {
    if (stageChanged && !ctx.explicit.has('Probability')) draft.Probability = stage.probability;
    draft.IsClosed = stage.closed;
    draft.IsWon = stage.won;
    if (stageChanged && !ctx.explicit.has('ForecastCategoryName'))
      draft.ForecastCategoryName = stage.forecast;
  } else {
    draft.IsClosed = false;
    draft.IsWon = false;
    if (draft.ForecastCategoryName === null) draft.ForecastCategoryName = 'Pipeline';
  }
  const forecast = draft.ForecastCategoryName;
  draft.ForecastCategory =
    forecast === 'Best Case'
      ? 'BestCase'
      : forecast === 'Commit'
        ? 'Forecast'
        : ((forecast as string | null) ?? 'Pipeline');
  const amount = draft.Amount;
  const probability = draft.Probability;
  draft.ExpectedRevenue =
    typeof amount === 'number' && typeof probability === 'number'
      ? Math.round(amount * probability) / 100
      : null;
  const close = draft.CloseDate;
  if (typeof close === 'string') {
    const year = Number(close.slice(0, 4));
    const quarter = Math.floor((Number(close.slice(5, 7)) - 1) / 3) + 1;
    draft.FiscalYear = year;
    draft.FiscalQuarter = quarter;
    draft.Fiscal = `${year} ${quarter}`;
  }
  draft.HasOpenActivity ??= false;
  draft.HasOverdueTask ??= false;
  return undefined;
}

function caseRecord(draft: Draft, ctx: SaveContext): undefined {
  const closed = typeof draft.Status === 'string' && CLOSED_CASE_STATUSES.has(draft.Status);
  const wasClosed = ctx.previous?.IsClosed === true;
  draft.IsClosed = closed;
  if (closed && !wasClosed) draft.ClosedDate = formatDateTime(ctx.now);
  if (!closed) draft.ClosedDate = null;
  draft.IsEscalated ??= false;
  return undefined;
}

/** Task/Event `AccountId`: the Account in WhatId, or the account of the Contact in WhoId. */
function activityAccount(draft: Draft, ctx: SaveContext): void {
  const what = draft.WhatId;
  if (typeof what === 'string' && what.startsWith('001')) {
    draft.AccountId = what;
    return;
  }
  const who = draft.WhoId;
  if (typeof who === 'string' && who.startsWith('003')) {
    const contact = ctx.lookup(who);
    draft.AccountId = (contact?.AccountId as string | null | undefined) ?? null;
    return;
  }
  draft.AccountId = null;
}

function task(draft: Draft, ctx: SaveContext): undefined {
  draft.IsClosed = draft.Status === 'Completed' || draft.Status === 'Deferred';
  draft.IsHighPriority = draft.Priority === 'High';
  if (draft.IsClosed && ctx.previous?.IsClosed !== true) draft.CompletedDateTime = formatDateTime(ctx.now);
  if (!draft.IsClosed) draft.CompletedDateTime = null;
  if (ctx.mode === 'create' && draft.TaskSubtype === null) draft.TaskSubtype = 'Task';
  activityAccount(draft, ctx);
  return undefined;
}

function event(draft: Draft, ctx: SaveContext): DmlError[] | undefined {
  if (ctx.mode === 'create' && draft.EventSubtype === null) draft.EventSubtype = 'Event';
  const allDay = draft.IsAllDayEvent === true;
  if (draft.StartDateTime === null && typeof draft.ActivityDateTime === 'string') {
    draft.StartDateTime = draft.ActivityDateTime;
  }
  if (draft.StartDateTime === null && allDay && typeof draft.ActivityDate === 'string') {
    draft.StartDateTime = formatDateTime(Date.parse(`${draft.ActivityDate}T00:00:00Z`));
  }
  const start = draft.StartDateTime;
  if (typeof start !== 'string') return [requiredFieldsMissing(['ActivityDateTime'])];
  const startMs = dateTimeMs(start);
  const explicitEnd = ctx.explicit.has('EndDateTime') && typeof draft.EndDateTime === 'string';
  if (explicitEnd || (!ctx.explicit.has('DurationInMinutes') && typeof draft.EndDateTime === 'string')) {
    const endMs = dateTimeMs(draft.EndDateTime as string);
    if (endMs < startMs) {
      return [
        {
          statusCode: 'FIELD_INTEGRITY_EXCEPTION',
          message: 'End Date Time: End time must be after start time',
          fields: ['EndDateTime'],
        },
      ];
    }
    draft.DurationInMinutes = Math.round((endMs - startMs) / 60_000);
  } else if (typeof draft.DurationInMinutes === 'number') {
    draft.EndDateTime = formatDateTime(startMs + draft.DurationInMinutes * 60_000);
  } else {
    return [requiredFieldsMissing(['DurationInMinutes'])];
  }
  draft.ActivityDateTime = allDay ? null : start;
  draft.ActivityDate = formatDate(startMs);
  draft.EndDate = formatDate(parseDateTime((draft.EndDateTime as string).replace('+0000', 'Z')) ?? startMs);
  activityAccount(draft, ctx);
  return undefined;
}

function user(draft: Draft, ctx: SaveContext): undefined {
  if (ctx.mode === 'create') {
    draft.UserType ??= 'Standard';
    if (draft.CommunityNickname === null) {
      draft.CommunityNickname =
        String(draft.Username ?? '')
          .split('@')[0]
          ?.slice(0, 40) || null;
    }
  }
  return undefined;
}

function blobSize(draft: Draft, ctx: SaveContext, sizeField: string): void {
  const blob = ctx.blobs[0];
  if (blob !== undefined) draft[sizeField] = blob.bytes.length;
  else if (ctx.mode === 'create') draft[sizeField] = draft[sizeField] ?? 0;
}

function attachment(draft: Draft, ctx: SaveContext): undefined {
  blobSize(draft, ctx, 'BodyLength');
  return undefined;
}

function documentRecord(draft: Draft, ctx: SaveContext): undefined {
  blobSize(draft, ctx, 'BodyLength');
  if (ctx.mode === 'create') {
    draft.AuthorId ??= ctx.userId;
    if (draft.DeveloperName === null && typeof draft.Name === 'string') {
      draft.DeveloperName = draft.Name.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'Document';
    }
    if (draft.Type === null && typeof draft.Name === 'string' && draft.Name.includes('.')) {
      draft.Type = draft.Name.split('.').pop() ?? null;
    }
  }
  return undefined;
}

const FILE_TYPES: Record<string, string> = {
  pdf: 'PDF',
  txt: 'TEXT',
  csv: 'CSV',
  png: 'PNG',
  jpg: 'JPG',
  jpeg: 'JPEG',
  gif: 'GIF',
  doc: 'WORD',
  docx: 'WORD_X',
  xls: 'EXCEL',
  xlsx: 'EXCEL_X',
  ppt: 'POWER_POINT',
  pptx: 'POWER_POINT_X',
  zip: 'ZIP',
  json: 'JSON',
  xml: 'XML',
  html: 'HTML',
};

function contentVersion(draft: Draft, ctx: SaveContext): DmlError[] | undefined {
  if (ctx.mode !== 'create') return undefined;
  const blob = ctx.blobs[0];
  if (blob === undefined && draft.ContentUrl === null) {
    return [requiredFieldsMissing(['VersionData'])];
  }
  if (blob !== undefined && draft.PathOnClient === null) {
    return [requiredFieldsMissing(['PathOnClient'])];
  }
  const path = typeof draft.PathOnClient === 'string' ? draft.PathOnClient : '';
  const extension = path.includes('.') ? (path.split('.').pop() ?? '').toLowerCase() : '';
  draft.FileExtension = extension || null;
  draft.FileType = blob === undefined ? 'LINK' : (FILE_TYPES[extension] ?? 'UNKNOWN');
  draft.ContentSize = blob?.bytes.length ?? 0;
  draft.Checksum = blob === undefined ? null : createHash('md5').update(blob.bytes).digest('hex');
  draft.IsLatest = true;
  draft.ContentLocation ??= 'S';
  draft.Origin ??= 'C';
  if (typeof draft.ContentDocumentId === 'string') {
    // A new version of an existing document: it becomes the latest one.
    const documentId = draft.ContentDocumentId;
    const versions = ctx.related.find('ContentVersion', 'ContentDocumentId', documentId);
    draft.VersionNumber = String(versions.length + 1);
    for (const version of versions) {
      if (version.IsLatest === true) ctx.related.update(version.Id as string, { IsLatest: false });
    }
    ctx.related.update(documentId, {
      LatestPublishedVersionId: draft.Id ?? null,
      Title: draft.Title ?? null,
      FileType: draft.FileType,
      FileExtension: draft.FileExtension,
      ContentSize: draft.ContentSize,
    });
  } else {
    draft.VersionNumber = '1';
    draft.ContentDocumentId = ctx.related.create('ContentDocument', {
      Title: draft.Title ?? null,
      OwnerId: draft.OwnerId ?? ctx.userId,
      PublishStatus: 'P',
      LatestPublishedVersionId: draft.Id ?? null,
      FileType: draft.FileType,
      FileExtension: draft.FileExtension,
      ContentSize: draft.ContentSize,
    });
  }
  return undefined;
}

function contentDocument(draft: Draft, ctx: SaveContext): undefined {
  if (ctx.mode === 'create') draft.PublishStatus ??= 'P';
  return undefined;
}

const OBJECT_BEHAVIOURS: Record<string, Behaviour> = {
  opportunity,
  case: caseRecord,
  task,
  event,
  user,
  attachment,
  document: documentRecord,
  contentversion: contentVersion,
  contentdocument: contentDocument,
};

/** Runs the generic and the object's own behaviours on a draft; returns the save errors they found. */
export function applyBehaviours(
  draft: Draft,
  ctx: SaveContext,
  autoNumberFormat: string | undefined,
): DmlError[] {
  const plan = planOf(ctx.def);
  autoNumbers(draft, ctx, plan, autoNumberFormat);
  if (plan.personName) personName(draft);
  const errors = plan.own?.(draft, ctx) ?? [];
  plan.fillAddresses?.(draft, sharedAddress);
  return errors;
}
