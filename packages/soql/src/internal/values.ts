import { SoqlBuildError } from '../errors.js';
import type { ValueNode } from '../nodes.js';
import { dateTimeFromDate } from './dates.js';

// Value nodes a caller may pass directly: the ones `SoqlDate` and `SoqlLike` make, and hand-built
// ones. Their contents are checked when they are rendered, by the literal chokepoint.
const VALUE_KINDS = new Set([
  'string',
  'likePattern',
  'number',
  'boolean',
  'null',
  'date',
  'dateTime',
  'dateLiteral',
]);

const NULL: ValueNode = Object.freeze({ kind: 'null' });

export function isValueNode(value: unknown): value is ValueNode {
  return (
    typeof value === 'object' &&
    value !== null &&
    VALUE_KINDS.has((value as { kind?: unknown }).kind as string)
  );
}

/** A plain `{...}` object (not a class instance, array, Date or value node). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return (prototype === Object.prototype || prototype === null) && !isValueNode(value);
}

/** Turn a JS value into a value node; anything that is not a supported value type throws. */
export function parseValue(value: unknown, field: string): ValueNode {
  switch (typeof value) {
    case 'string':
      return Object.freeze({ kind: 'string', value });
    case 'number':
      return Object.freeze({ kind: 'number', value });
    case 'boolean':
      return Object.freeze({ kind: 'boolean', value });
    case 'object':
      if (value === null) return NULL;
      if (value instanceof Date)
        return Object.freeze({ kind: 'dateTime', value: dateTimeFromDate(value, field) });
      if (isValueNode(value)) return value;
      break;
  }
  const type = Array.isArray(value) ? 'an array' : isPlainObject(value) ? 'an object' : `a ${typeof value}`;
  throw new SoqlBuildError(
    'INVALID_VALUE',
    `Invalid value for ${field}: got ${type}; expected a string, finite number, boolean, null, Date or SoqlDate value`,
    field,
  );
}
