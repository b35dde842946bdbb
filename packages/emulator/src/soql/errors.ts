/**
 * The engine's one error type. `errorCode` and `message` are what Salesforce puts in its REST error
 * array (`[{ message, errorCode }]`), so the HTTP layer can pass them through unchanged.
 */
export class SoqlError extends Error {
  /** `MALFORMED_QUERY`, `INVALID_FIELD`, `INVALID_TYPE`, `INVALID_QUERY_FILTER_OPERATOR`, ... */
  readonly errorCode: string;

  constructor(errorCode: string, message: string) {
    super(message);
    this.name = 'SoqlError';
    this.errorCode = errorCode;
  }
}

/** How many characters of the offending line Salesforce echoes before and after the error position. */
const ECHO_BEFORE = 40;
const ECHO_AFTER = 40;

/**
 * Salesforce's caret form: the offending line (a window of it, for long lines), a caret under the
 * error position, `ERROR at Row:r:Column:c` (1-based) and the explanation, each on its own line:
 * `"\nSELECT Idx FROM Account\n       ^\nERROR at Row:1:Column:8\nNo such column 'Idx' ..."`.
 * The window width for long lines is our best reading of real messages ([unverified] beyond 40 before).
 */
export function caretMessage(source: string, offset: number, text: string): string {
  const at = Math.max(0, Math.min(offset, source.length));
  const lineStart = source.lastIndexOf('\n', at - 1) + 1;
  const nextBreak = source.indexOf('\n', at);
  const line = source.slice(lineStart, nextBreak === -1 ? source.length : nextBreak).replace(/\r$/, '');
  const column = at - lineStart;
  const row = countLines(source, lineStart);
  const echoStart = Math.max(0, column - ECHO_BEFORE);
  const echo = line.slice(echoStart, column + ECHO_AFTER);
  return `\n${echo}\n${' '.repeat(column - echoStart)}^\nERROR at Row:${row}:Column:${column + 1}\n${text}`;
}

function countLines(source: string, upTo: number): number {
  let row = 1;
  for (let i = source.indexOf('\n'); i !== -1 && i < upTo; i = source.indexOf('\n', i + 1)) row++;
  return row;
}

/** Salesforce's explanation for an unknown field (INVALID_FIELD). */
export function noSuchColumnText(field: string, entity: string): string {
  return (
    `No such column '${field}' on entity '${entity}'. If you are attempting to use a custom field, be sure ` +
    `to append the '__c' after the custom field name. Please reference your WSDL or the describe call for ` +
    `the appropriate names.`
  );
}

/** Salesforce's explanation for an unknown object (INVALID_TYPE). */
export function unsupportedTypeText(name: string): string {
  return (
    `sObject type '${name}' is not supported. If you are attempting to use a custom object, be sure to ` +
    `append the '__c' after the entity name. Please reference your WSDL or the describe call for the ` +
    `appropriate names.`
  );
}

/** An unknown parent relationship in a field path (INVALID_FIELD). */
export function unknownParentRelationshipText(name: string): string {
  return (
    `Didn't understand relationship '${name}' in field path. If you are attempting to use a custom ` +
    `relationship, be sure to append the '__r' after the custom relationship name. Please reference your ` +
    `WSDL or the describe call for the appropriate names.`
  );
}

/** An unknown child relationship in a subquery's FROM (INVALID_TYPE). */
export function unknownChildRelationshipText(name: string): string {
  return (
    `Didn't understand relationship '${name}' in FROM part of query call. If you are attempting to use a ` +
    `custom relationship, be sure to append the '__r' after the custom relationship name. Please reference ` +
    `your WSDL or the describe call for the appropriate names.`
  );
}
