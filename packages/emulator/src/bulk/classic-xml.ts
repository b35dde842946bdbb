import { XMLParser } from 'fast-xml-parser';

/**
 * The XML of the classic Bulk API: request bodies in (`jobInfo`, `sObjects`) and the namespaced
 * documents it answers with, laid out as Salesforce writes them (see `fixtures/bulk1`).
 */

export const ASYNC_NS = 'http://www.force.com/2009/06/asyncapi/dataload';
const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';

export function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A one-level document: `<?xml…?><root\n   xmlns="…">\n <k>v</k>\n…</root>`, null values left out. */
export function xmlDocument(
  root: string,
  entries: readonly (readonly [string, string | number | null])[],
): string {
  let out = `<?xml version="1.0" encoding="UTF-8"?><${root}\n   xmlns="${ASYNC_NS}">\n`;
  for (const [key, value] of entries) {
    if (value === null) continue;
    out += ` <${key}>${escapeXml(String(value))}</${key}>\n`;
  }
  return `${out}</${root}>`;
}

/** The classic error document: `<error><exceptionCode>…</exceptionCode><exceptionMessage>…`. */
export function xmlError(code: string, message: string): string {
  return xmlDocument('error', [
    ['exceptionCode', code],
    ['exceptionMessage', message],
  ]);
}

/** Several `<item>` bodies under one root (`batchInfoList`, `result-list`, `results`). */
export function xmlList(root: string, items: readonly string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?><${root}\n   xmlns="${ASYNC_NS}">${items.join('')}</${root}>`;
}

/** An element with child elements, for items of a list. */
export function xmlElement(
  name: string,
  entries: readonly (readonly [string, string | number | null])[],
): string {
  let out = `\n <${name}>`;
  for (const [key, value] of entries) {
    if (value === null) continue;
    out += `\n  <${key}>${escapeXml(String(value))}</${key}>`;
  }
  return `${out}\n </${name}>`;
}

/** One query result record as `<records xsi:type="sObject">`, parents nested the same way. */
export function xmlRecord(record: Readonly<Record<string, unknown>>, tag = 'records'): string {
  const type = (record.attributes as { type?: string } | undefined)?.type ?? '';
  let out = `<${tag} xsi:type="sObject"><type>${escapeXml(type)}</type>`;
  for (const [key, value] of Object.entries(record)) {
    if (key === 'attributes') continue;
    if (value === null || value === undefined) out += `<${key} xsi:nil="true"/>`;
    else if (typeof value === 'object') out += xmlRecord(value as Record<string, unknown>, key);
    else out += `<${key}>${escapeXml(String(value))}</${key}>`;
  }
  return `${out}</${tag}>`;
}

export function xmlQueryResult(records: readonly string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?><queryResult xmlns="${ASYNC_NS}" xmlns:xsi="${XSI_NS}">${records.join('')}</queryResult>`;
}

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: true,
  trimValues: false,
  isArray: (_name, path) => path === 'sObjects.sObject',
});

/** Parses an XML body; undefined when it is not well-formed. */
export function parseXml(text: string): Record<string, unknown> | undefined {
  try {
    const parsed = parser.parse(text, true) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The text of a simple element (`<operation>insert</operation>`), trimmed. */
export function xmlText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object' && value !== null && '#text' in value) {
    return String((value as Record<string, unknown>)['#text']).trim();
  }
  return undefined;
}

/**
 * `<sObjects><sObject><Name>Acme</Name><Fax xsi:nil="true"/><Account><sObject><Ext__c>A1</Ext__c>
 * </sObject></Account></sObject></sObjects>` as REST record bodies.
 */
export function xmlRecords(document: Record<string, unknown>): Record<string, unknown>[] | undefined {
  const root = document.sObjects;
  if (root === '' || root === undefined) return root === '' ? [] : undefined;
  if (typeof root !== 'object' || root === null) return undefined;
  const items = (root as { sObject?: unknown }).sObject;
  if (items === undefined) return [];
  if (!Array.isArray(items)) return undefined;
  return items.map((item) => xmlSObject(item));
}

function xmlSObject(item: unknown): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  if (typeof item !== 'object' || item === null) return record;
  for (const [key, value] of Object.entries(item as Record<string, unknown>)) {
    if (key.startsWith('@') || key === '#text') continue;
    if (typeof value === 'object' && value !== null) {
      const element = value as Record<string, unknown>;
      if (element['@nil'] === 'true') record[key] = null;
      else if ('sObject' in element) {
        const nested = Array.isArray(element.sObject) ? element.sObject[0] : element.sObject;
        record[key] = xmlSObject(nested);
      } else record[key] = xmlText(element) ?? '';
    } else record[key] = value === '' ? '' : String(value);
  }
  return record;
}
