/**
 * Shape comparisons against recorded Salesforce responses: the same keys and the same value types,
 * where a null on either side (an empty field in one org, filled in another) matches any type.
 */

/** The value types of an object's members, for shape comparisons against recorded fixtures. */
export function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? [] : [shapeOf(value[0])];
  if (value === null) return 'null';
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, shapeOf(v)]),
    );
  }
  return typeof value;
}

/**
 * How `actual` differs in shape from a recorded `expected` value: the same keys in the same order and
 * the same value types. Empty when they agree. Arrays are compared by their first elements.
 */
export function sameShape(actual: unknown, expected: unknown): string[] {
  return differences(actual, expected, true, '$');
}

/**
 * As `sameShape`, with keys in any order: for payloads whose key order Salesforce does not fix (event
 * payloads, or captures that disagree with each other on it).
 */
export function shapeDiff(actual: unknown, expected: unknown): string[] {
  return differences(actual, expected, false, '$');
}

function differences(actual: unknown, expected: unknown, ordered: boolean, path: string): string[] {
  if (actual === null || expected === null) return [];
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${path}: expected an array`];
    if (expected.length === 0 || actual.length === 0) return [];
    return differences(actual[0], expected[0], ordered, `${path}[0]`);
  }
  if (typeof expected === 'object') {
    if (typeof actual !== 'object' || Array.isArray(actual)) return [`${path}: expected an object`];
    const keys = (value: object) => (ordered ? Object.keys(value) : Object.keys(value).sort());
    const a = keys(actual as object);
    const e = keys(expected as object);
    if (a.join() !== e.join()) return [`${path}: keys [${a.join(',')}] instead of [${e.join(',')}]`];
    return e.flatMap((key) =>
      differences(
        (actual as Record<string, unknown>)[key],
        (expected as Record<string, unknown>)[key],
        ordered,
        `${path}.${key}`,
      ),
    );
  }
  return typeof actual === typeof expected ? [] : [`${path}: ${typeof actual} instead of ${typeof expected}`];
}
