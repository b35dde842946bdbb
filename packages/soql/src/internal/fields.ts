import { SoqlBuildError } from '../errors.js';
import type { AggregateFunction, AggregateNode, FieldNode } from '../nodes.js';
import { assertFieldPath, assertIdentifier } from './identifiers.js';

const AGGREGATES: ReadonlySet<string> = new Set<AggregateFunction>([
  'COUNT',
  'COUNT_DISTINCT',
  'SUM',
  'AVG',
  'MIN',
  'MAX',
]);

// `SUM(Amount)`, `count()`, `COUNT_DISTINCT(Account.Name) n`: a function, its argument, an alias.
const CALL = /^([A-Za-z_]+)\s*\(\s*([^()\s]*)\s*\)(?:\s+(\S+))?$/;

/** `'Id, Owner.Name'` -> `['Id', 'Owner.Name']` (empty entries dropped). */
export function splitList(text: string): string[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

export function field(path: string): FieldNode {
  return Object.freeze({ kind: 'field', path: assertFieldPath(path) });
}

/**
 * Parse `FN(field) alias` when `text` looks like a function call; `undefined` when it does not. An
 * unknown function or an alias where none is allowed throws.
 */
export function parseAggregate(text: string, allowAlias: boolean): AggregateNode | undefined {
  const match = CALL.exec(text.trim());
  if (match === null) return undefined;
  const [, name = '', argument = '', alias] = match;
  const fn = name.toUpperCase();
  if (!AGGREGATES.has(fn)) {
    throw new SoqlBuildError(
      'INVALID_ARGUMENT',
      `Unknown function ${JSON.stringify(name)} in ${JSON.stringify(text)}; supported: ${[...AGGREGATES].join(', ')}`,
      text,
    );
  }
  if (argument === '' && fn !== 'COUNT') {
    throw new SoqlBuildError('INVALID_ARGUMENT', `${fn}() needs a field`, text);
  }
  if (alias !== undefined && !allowAlias) {
    throw new SoqlBuildError(
      'INVALID_ARGUMENT',
      `An alias is not allowed here: ${JSON.stringify(text)}`,
      text,
    );
  }
  return Object.freeze({
    kind: 'aggregate',
    fn: fn as AggregateFunction,
    ...(argument === '' ? {} : { field: field(argument) }),
    ...(alias === undefined ? {} : { alias: assertIdentifier(alias, 'alias') }),
  });
}

/** A field path, or (where aggregates are allowed: HAVING, ORDER BY) an aggregate call without alias. */
export function parseTarget(text: string, allowAggregate: boolean): FieldNode | AggregateNode {
  if (allowAggregate) {
    const aggregate = parseAggregate(text, false);
    if (aggregate !== undefined) return aggregate;
  }
  return field(text);
}
