import { ConfigurationError } from './errors.js';

/** A value that may stand in one path segment. */
export type PathValue = string | number;

/**
 * Encodes one path segment: an id, an sObject name, an external-id value. Every reserved character is
 * escaped (`/` becomes `%2F`, so a value can never add a segment), and the dot segments `.` and `..`,
 * which URL normalisation would otherwise resolve, are escaped too. An empty value is rejected, because
 * `sobjects/Account/` names a different resource than the one meant.
 */
export function encodePathSegment(value: PathValue): string {
  const text = String(value);
  if (text === '') {
    throw new ConfigurationError([{ field: 'path', message: 'a path segment is empty' }], 'path');
  }
  if (text === '.' || text === '..') return text === '.' ? '%2E' : '%2E%2E';
  return encodeURIComponent(text);
}

/**
 * A tagged template that builds a request path, escaping every interpolated value as one segment:
 *
 * ```ts
 * apiPath`sobjects/${type}/${externalIdField}/${value}`  // 'sobjects/Account/Ext__c/A%2FB'
 * ```
 *
 * The literal parts are trusted; only the values are encoded.
 */
export function apiPath(strings: TemplateStringsArray, ...values: readonly PathValue[]): string {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) {
    out += encodePathSegment(values[i] as PathValue) + (strings[i + 1] ?? '');
  }
  return out;
}
