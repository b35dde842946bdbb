/** Why Salesforce refused one row, read from the `sf__Error` column of `failedResults`. */
export interface RecordError {
  /** The status code: `REQUIRED_FIELD_MISSING`, `DUPLICATE_VALUE`, `INVALID_CROSS_REFERENCE_KEY`, ... */
  readonly code: string;
  readonly message: string;
  /** The fields the error names (often none). */
  readonly fields: readonly string[];
  /** The `sf__Error` text as Salesforce wrote it. */
  readonly text: string;
}

const CODE = /^[A-Z][A-Z0-9_]*$/;
const FIELD_LIST = /^\s*[A-Za-z][\w.]*(\s*,\s*[A-Za-z][\w.]*)*\s*$/;

/**
 * Parses `sf__Error`, which Salesforce writes `CODE:message:fields --` (`REQUIRED_FIELD_MISSING:Required
 * fields are missing: [Name]:Name --`; with no fields, `CODE:message:--`). The message may hold colons
 * itself, so the fields are what follows the last colon, when that looks like a field list. Text that
 * does not follow the pattern is kept whole as the message, with code `UNKNOWN_EXCEPTION`.
 */
export function parseRecordError(text: string): RecordError {
  let body = text.trim();
  if (body.endsWith('--')) body = body.slice(0, -2).trimEnd();
  const colon = body.indexOf(':');
  const code = colon > 0 ? body.slice(0, colon) : '';
  if (!CODE.test(code)) return { code: 'UNKNOWN_EXCEPTION', message: text.trim(), fields: [], text };
  let message = body.slice(colon + 1);
  let fields: string[] = [];
  const last = message.lastIndexOf(':');
  if (last >= 0) {
    const tail = message.slice(last + 1);
    if (tail.trim() === '') {
      message = message.slice(0, last);
    } else if (FIELD_LIST.test(tail)) {
      fields = tail.split(',').map((field) => field.trim());
      message = message.slice(0, last);
    }
  }
  return { code, message: message.trim(), fields, text };
}
