import { SoqlBuildError } from '../errors.js';

/** What an identifier names; it goes into the error message. */
export type IdentifierRole = 'object' | 'field' | 'relationship' | 'alias' | 'scope';

// A SOQL identifier: a letter, then letters, digits and underscores (custom and namespaced names such
// as `ns__Field__c` fit). Anything else (spaces, quotes, dots, parentheses, Unicode look-alikes) could
// change the meaning of the query, so it is refused here rather than left to the server.
const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;
// The same grammar for every segment of a dotted path, in one test.
const PATH = /^[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)*$/;

function isIdentifier(value: unknown): value is string {
  return typeof value === 'string' && IDENTIFIER.test(value);
}

// Words an alias cannot be: the SOQL reserved keywords. Object and field names are not checked
// against this list because some real ones collide with it (the `Group` object, for example).
const RESERVED = new Set([
  'AND',
  'ASC',
  'DESC',
  'EXCLUDES',
  'FIRST',
  'FROM',
  'GROUP',
  'HAVING',
  'IN',
  'INCLUDES',
  'LAST',
  'LIKE',
  'LIMIT',
  'NOT',
  'NULL',
  'NULLS',
  'OR',
  'SELECT',
  'WHERE',
  'WITH',
]);

function describe(value: unknown): string {
  if (typeof value !== 'string') return `a ${value === null ? 'null' : typeof value}`;
  const shown = value.length > 80 ? `${value.slice(0, 80)}...` : value;
  return JSON.stringify(shown);
}

/**
 * The one identifier validator: every object, field, relationship, alias and scope name passes
 * through here before it is written into SOQL. Returns the name unchanged.
 */
export function assertIdentifier(name: unknown, role: IdentifierRole): string {
  if (!isIdentifier(name)) {
    throw new SoqlBuildError(
      'INVALID_IDENTIFIER',
      `Invalid ${role} name ${describe(name)}: a SOQL identifier starts with a letter and contains only letters, digits and underscores`,
      typeof name === 'string' ? name : undefined,
    );
  }
  if (role === 'alias' && RESERVED.has(name.toUpperCase())) {
    throw new SoqlBuildError(
      'INVALID_IDENTIFIER',
      `Invalid alias ${describe(name)}: it is a SOQL reserved word`,
      name,
    );
  }
  return name;
}

/** A dotted relationship path (`Account.Owner.Name`): every segment is an identifier. */
export function assertFieldPath(path: unknown): string {
  if (typeof path !== 'string') return assertIdentifier(path, 'field');
  if (!PATH.test(path)) {
    throw new SoqlBuildError(
      'INVALID_IDENTIFIER',
      `Invalid field name ${describe(path)}: each dot-separated part must start with a letter and contain only letters, digits and underscores`,
      path,
    );
  }
  return path;
}
