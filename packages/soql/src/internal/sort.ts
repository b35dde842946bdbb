import { SoqlBuildError } from '../errors.js';
import type { OrderByNode } from '../nodes.js';
import { parseTarget } from './fields.js';
import { isPlainObject } from './values.js';

type Direction = 'ASC' | 'DESC';
type Nulls = 'FIRST' | 'LAST';

const DIRECTIONS: Record<string, Direction> = {
  asc: 'ASC',
  ascending: 'ASC',
  desc: 'DESC',
  descending: 'DESC',
};

function direction(value: unknown, key: string): Direction {
  if (value === 1) return 'ASC';
  if (value === -1) return 'DESC';
  const found = typeof value === 'string' ? DIRECTIONS[value.toLowerCase()] : undefined;
  if (found === undefined) {
    throw new SoqlBuildError(
      'INVALID_ARGUMENT',
      `Invalid sort direction for ${key}: use 1, -1, 'asc', 'desc', 'ascending' or 'descending'`,
      key,
    );
  }
  return found;
}

function nulls(value: unknown, key: string): Nulls {
  const upper = typeof value === 'string' ? value.toUpperCase() : undefined;
  if (upper !== 'FIRST' && upper !== 'LAST') {
    throw new SoqlBuildError(
      'INVALID_ARGUMENT',
      `Invalid nulls placement for ${key}: use 'first' or 'last'`,
      key,
    );
  }
  return upper;
}

function order(key: string, dir: Direction, placement: Nulls | undefined): OrderByNode {
  return Object.freeze({
    kind: 'orderBy',
    target: parseTarget(key, true),
    direction: dir,
    ...(placement === undefined ? {} : { nulls: placement }),
  });
}

/** `'-CreatedDate Name'`: `-` means descending, `+` or nothing ascending; a direction word may follow. */
function parseString(spec: string, placement: Nulls | undefined): OrderByNode[] {
  const entries: [string, Direction][] = [];
  for (const token of spec.split(/[\s,]+/)) {
    if (token === '') continue;
    const word = DIRECTIONS[token.toLowerCase()];
    const last = entries[entries.length - 1];
    if (word !== undefined && last !== undefined) last[1] = word;
    else if (token.startsWith('-')) entries.push([token.slice(1), 'DESC']);
    else entries.push([token.startsWith('+') ? token.slice(1) : token, 'ASC']);
  }
  return entries.map(([key, dir]) => order(key, dir, placement));
}

/**
 * A sort spec in any of its forms: `'-CreatedDate Name'`, `{ CreatedDate: -1, Name: 'asc' }`,
 * `[['CreatedDate', 'desc'], ['Name', 'asc', 'last']]`. `options.nulls` applies to every field that
 * does not set its own placement.
 */
export function parseSort(spec: unknown, options?: { nulls?: string | undefined }): OrderByNode[] {
  const placement = options?.nulls === undefined ? undefined : nulls(options.nulls, 'sort');
  if (typeof spec === 'string') return parseString(spec, placement);
  if (Array.isArray(spec)) {
    return spec.flatMap((entry): OrderByNode[] => {
      if (typeof entry === 'string') return parseString(entry, placement);
      if (Array.isArray(entry) && typeof entry[0] === 'string' && entry.length >= 2 && entry.length <= 3) {
        const key = entry[0];
        return [
          order(key, direction(entry[1], key), entry[2] === undefined ? placement : nulls(entry[2], key)),
        ];
      }
      throw new SoqlBuildError(
        'INVALID_ARGUMENT',
        'sort array entries are field strings or [field, direction] / [field, direction, nulls] tuples',
        'sort',
      );
    });
  }
  if (isPlainObject(spec)) {
    const nodes: OrderByNode[] = [];
    for (const key of Object.keys(spec)) {
      const value = spec[key];
      if (value !== undefined) nodes.push(order(key, direction(value, key), placement));
    }
    return nodes;
  }
  throw new SoqlBuildError(
    'INVALID_ARGUMENT',
    "sort takes a string ('-CreatedDate Name'), an object ({ CreatedDate: -1 }) or an array of [field, direction]",
    'sort',
  );
}
