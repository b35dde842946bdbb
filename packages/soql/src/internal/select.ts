import { SoqlBuildError } from '../errors.js';
import type { AggregateNode, FieldNode, SelectItemNode } from '../nodes.js';
import { field, parseAggregate, splitList } from './fields.js';
import { isPlainObject } from './values.js';

function item(text: string): FieldNode | AggregateNode {
  return parseAggregate(text, true) ?? field(text.trim());
}

/**
 * A select list in any of its forms: `['Id', 'Owner.Name']`, `'Id, Owner.Name'`,
 * `{ Id: 1, 'Owner.Name': 1 }` (also `true`; `undefined` keys are skipped), with aggregate calls
 * (`'COUNT()'`, `'SUM(Amount) total'`) allowed wherever a field is.
 */
export function parseSelect(input: unknown, at = 'select'): (FieldNode | AggregateNode)[] {
  if (typeof input === 'string') {
    return splitList(input).map(item);
  }
  if (Array.isArray(input)) {
    return input.map((entry) => {
      if (typeof entry !== 'string') {
        throw new SoqlBuildError(
          'INVALID_ARGUMENT',
          `${at} list entries must be strings, got ${typeof entry}`,
          at,
        );
      }
      return item(entry);
    });
  }
  if (isPlainObject(input)) {
    const items: (FieldNode | AggregateNode)[] = [];
    for (const key of Object.keys(input)) {
      const flag = input[key];
      if (flag === undefined) continue;
      if (flag === 1 || flag === true) items.push(item(key));
      else if (flag === 0 || flag === false) {
        throw new SoqlBuildError(
          'INVALID_ARGUMENT',
          `${at}: exclusion projections ({ ${key}: 0 }) are not supported; list the fields to select`,
          key,
        );
      } else {
        throw new SoqlBuildError(
          'INVALID_ARGUMENT',
          `${at}: projection values must be 1 or true (at ${key})`,
          key,
        );
      }
    }
    return items;
  }
  throw new SoqlBuildError(
    'INVALID_ARGUMENT',
    `${at} takes an array of fields, a comma-separated string or a projection object`,
    at,
  );
}

function keyOf(node: SelectItemNode): string {
  switch (node.kind) {
    case 'field':
      return node.path.toLowerCase();
    case 'aggregate':
      return `${node.fn}(${node.field?.path.toLowerCase() ?? ''}) ${node.alias?.toLowerCase() ?? ''}`;
    case 'subquery':
      return `(${node.relationship.toLowerCase()}`;
  }
}

/**
 * Append `added` to `current`. SOQL rejects a field selected twice (names ignore case), so repeats are
 * dropped; a subquery on a relationship already included replaces the earlier one in place.
 */
export function mergeSelect(
  current: readonly SelectItemNode[],
  added: readonly SelectItemNode[],
): readonly SelectItemNode[] {
  const merged = [...current];
  const index = new Map(merged.map((node, position) => [keyOf(node), position]));
  for (const node of added) {
    const key = keyOf(node);
    const position = index.get(key);
    if (position === undefined) {
      index.set(key, merged.length);
      merged.push(node);
    } else if (node.kind === 'subquery') {
      merged[position] = node;
    }
  }
  return Object.freeze(merged);
}
