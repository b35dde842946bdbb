import { ConfigurationError } from '@forcekit/core';
import { compileSoql, type QueryNode } from '@forcekit/soql';

/**
 * The characters the SOSL reference reserves in a search term: each must be preceded by a backslash
 * to be searched literally. `*` and `?` are the wildcards, `{ }` delimit the term, `" "` a phrase,
 * `( )` group, `& | !` and `+ -` are operators.
 */
const RESERVED = /[?&|!{}[\]()^~*:\\"'+-]/g;

/**
 * Escapes text for a SOSL search term (the part inside `FIND {…}`), so user input is searched as
 * literal words: `escapeSosl('AT&T (US)')` is `AT\&T \(US\)`. Wildcards and operators you want must be
 * added around the escaped text: `` `FIND {${escapeSosl(input)}*}` ``. The words `AND`, `OR` and `NOT`
 * stay operators: quote a term as a phrase (`"…"`) to search for them.
 */
export function escapeSosl(text: string): string {
  if (typeof text !== 'string') {
    throw new ConfigurationError([{ field: 'text', message: 'must be a string' }], 'escapeSosl argument');
  }
  return text.replace(RESERVED, (c) => `\\${c}`);
}

/** The search groups of `IN … FIELDS`. */
export type SearchGroup = 'ALL' | 'NAME' | 'EMAIL' | 'PHONE' | 'SIDEBAR';

const SEARCH_GROUPS: ReadonlySet<string> = new Set<SearchGroup>(['ALL', 'NAME', 'EMAIL', 'PHONE', 'SIDEBAR']);

/** A query builder from `@forcekit/soql` (anything with `toNode()`), used as one `RETURNING` item. */
export interface ReturningQuery {
  toNode(): QueryNode;
}

/** What `buildSosl` compiles. */
export interface SoslSpec {
  /**
   * The search term. A string is searched literally (it is escaped with `escapeSosl`); `{ raw }` is
   * trusted SOSL term syntax with wildcards, quotes and operators (`'Acme* OR "Global Media"'`).
   */
  readonly find: string | { readonly raw: string };
  /** `IN <group> FIELDS`. Default: Salesforce's, `ALL`. */
  readonly in?: SearchGroup | undefined;
  /**
   * `RETURNING` items: an object name (`'Contact'`: ids only) or a `@forcekit/soql` builder, whose
   * select list, WHERE, ORDER BY, LIMIT and OFFSET become `Account(Id, Name WHERE … LIMIT 5)`.
   */
  readonly returning?: readonly (string | ReturningQuery)[] | undefined;
  /** The overall `LIMIT`. */
  readonly limit?: number | undefined;
}

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;

function bad(field: string, message: string): never {
  throw new ConfigurationError([{ field, message }], 'SOSL search');
}

/** One `RETURNING` item: the soql compiler renders fields and literals, SOSL only rewraps them. */
function returningItem(item: string | ReturningQuery, index: number): string {
  const field = `returning[${index}]`;
  if (typeof item === 'string') {
    if (!IDENTIFIER.test(item)) bad(field, `"${item}" is not an object name`);
    return item;
  }
  if (typeof item?.toNode !== 'function') bad(field, 'must be an object name or a @forcekit/soql builder');
  const node = item.toNode();
  const unsupported = [
    node.scope !== undefined && 'USING SCOPE',
    node.access !== undefined && 'WITH',
    node.groupBy.length > 0 && 'GROUP BY',
    node.having !== undefined && 'HAVING',
    node.for !== undefined && 'FOR',
    node.select.some((s) => s.kind !== 'field') && 'aggregates or subqueries',
  ].filter((clause): clause is string => clause !== false);
  if (unsupported.length > 0) bad(field, `SOSL RETURNING does not take ${unsupported.join(', ')}`);
  const bare: QueryNode = {
    kind: 'query',
    object: node.object,
    select: node.select,
    groupBy: [],
    orderBy: [],
  };
  // compileSoql gives `SELECT <fields> FROM <object><tail>`; the tail is what the full node adds.
  const head = compileSoql(bare);
  const full = compileSoql({
    ...bare,
    orderBy: node.orderBy,
    ...(node.where === undefined ? {} : { where: node.where }),
    ...(node.limit === undefined ? {} : { limit: node.limit }),
    ...(node.offset === undefined ? {} : { offset: node.offset }),
  });
  const from = ` FROM ${node.object}`;
  const fields = head.slice('SELECT '.length, head.length - from.length);
  return `${node.object}(${fields}${full.slice(head.length)})`;
}

/**
 * Compiles a SOSL search:
 *
 * ```ts
 * buildSosl({ find: 'Acme & Co', in: 'NAME', returning: [from('Account').select(['Id', 'Name']).limit(5), 'Contact'] })
 * // FIND {Acme \& Co} IN NAME FIELDS RETURNING Account(Id, Name LIMIT 5), Contact
 * ```
 */
export function buildSosl(spec: SoslSpec): string {
  if (typeof spec !== 'object' || spec === null) bad('(spec)', 'must be an object');
  const { find } = spec;
  let term: string;
  if (typeof find === 'string') term = escapeSosl(find);
  else if (typeof find === 'object' && find !== null && typeof find.raw === 'string') term = find.raw;
  else bad('find', 'must be a string or { raw: string }');
  if (term.trim() === '') bad('find', 'must not be empty');
  let sosl = `FIND {${term}}`;
  if (spec.in !== undefined) {
    if (!SEARCH_GROUPS.has(spec.in)) bad('in', `must be one of ${[...SEARCH_GROUPS].join(', ')}`);
    sosl += ` IN ${spec.in} FIELDS`;
  }
  if (spec.returning !== undefined) {
    if (!Array.isArray(spec.returning) || spec.returning.length === 0) {
      bad('returning', 'must be a non-empty array');
    }
    sosl += ` RETURNING ${spec.returning.map(returningItem).join(', ')}`;
  }
  if (spec.limit !== undefined) {
    if (!Number.isInteger(spec.limit) || spec.limit < 1) bad('limit', 'must be a positive integer');
    sosl += ` LIMIT ${spec.limit}`;
  }
  return sosl;
}
