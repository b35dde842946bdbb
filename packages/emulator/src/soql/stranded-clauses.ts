/**
 * A workaround for two clause orders that Salesforce documents as valid SOQL but that
 * `@jetstreamapp/soql-parser-js` 6.3.1 (the latest release) rejects:
 *
 * 1. `OFFSET n` straight after a WHERE or HAVING condition (`... WHERE Name = 'x' OFFSET 2`). The parser
 *    lexes OFFSET as a keyword that may also be an identifier, and its WHERE/HAVING rule reads one or
 *    more conditions with the AND/OR between them optional. So after a condition it takes `OFFSET` for
 *    the field of a second condition and fails on the number: "Expecting ... [EQUAL] ... but found: '2'".
 *    `ORDER BY x OFFSET 2` and `LIMIT 5 OFFSET 2` parse, because there the rule before OFFSET has ended.
 * 2. `FOR UPDATE` after `FOR VIEW`, `FOR REFERENCE` or `UPDATE TRACKING|VIEWSTAT`: the parser keeps a
 *    single FOR clause, while the documented syntax lists `[FOR VIEW | FOR REFERENCE]`,
 *    `[UPDATE TRACKING | VIEWSTAT]` and `[FOR UPDATE]` as three optional clauses in that order.
 *
 * Only when the parser has refused the text: each clause of that kind is replaced by spaces of the same
 * length (every other token keeps its offset, so error carets still point into the original text), the
 * result is parsed again, and the clause is put back on the (sub)query it came from. A clause is cut
 * only where it ends its (sub)query but for the clauses the syntax allows after it, so an order that
 * Salesforce refuses (`OFFSET 2 LIMIT 5`) stays refused with the parser's own error.
 */
import { parseQuery, type Query, type QueryBase, type WhereClause } from '@jetstreamapp/soql-parser-js';
import type { SourceText, Token } from './source.js';

/** A clause taken out of the text: its tokens' span, and what it sets on its (sub)query. */
interface CutClause {
  readonly start: number;
  readonly end: number;
  /** Index of its (sub)query in source order: 0 the statement, k the k-th `(SELECT`. */
  readonly level: number;
  /**
   * The OFFSET value; undefined for a `FOR UPDATE`, which the engine gives no effect and which the parsed
   * query has no room for beside a FOR VIEW.
   */
  readonly offset: number | undefined;
}

/**
 * The statement parsed with its stranded clauses cut and put back; undefined when it has none or still
 * fails to parse without them.
 */
export function parseWithStrandedClauses(src: SourceText): Query | undefined {
  const cuts = strandedClauses(src);
  if (cuts.length === 0) return undefined;
  let text = src.text;
  for (const cut of cuts) {
    text = text.slice(0, cut.start) + ' '.repeat(cut.end - cut.start) + text.slice(cut.end);
  }
  let query: Query;
  try {
    query = parseQuery(text);
  } catch {
    return undefined;
  }
  const levels = queryLevels(query);
  if (levels.length !== src.subqueryStarts().length + 1) return undefined;
  for (const cut of cuts) {
    if (cut.offset === undefined) continue;
    const level = levels[cut.level];
    // A (sub)query that still has an OFFSET had two; the parser's refusal stands.
    if (level === undefined || level.offset !== undefined) return undefined;
    level.offset = cut.offset;
  }
  return query;
}

/** Every `OFFSET n` and every second-FOR `FOR UPDATE` that ends its (sub)query as the syntax allows. */
function strandedClauses(src: SourceText): CutClause[] {
  const cuts: CutClause[] = [];
  splitLevels(src.tokens).forEach((tokens, level) => {
    const tail = trailingClauses(tokens);
    const offsetWord = tokens[tail.from - 2];
    const offsetValue = tokens[tail.from - 1];
    if (
      isWord(offsetWord, 'offset') &&
      offsetValue?.kind === 'number' &&
      /^[0-9]+$/.test(offsetValue.text) &&
      // OFFSET comes before FOR VIEW | FOR REFERENCE and UPDATE ..., never after them.
      !isTrailingPair(tokens[tail.from - 4], tokens[tail.from - 3])
    ) {
      cuts.push({ start: offsetWord.start, end: offsetValue.end, level, offset: Number(offsetValue.text) });
    }
    if (tail.forUpdate !== undefined && tail.forUpdate > tail.from) {
      const forWord = tokens[tail.forUpdate];
      const updateWord = tokens[tail.forUpdate + 1];
      if (forWord !== undefined && updateWord !== undefined) {
        cuts.push({ start: forWord.start, end: updateWord.end, level, offset: undefined });
      }
    }
  });
  return cuts;
}

/**
 * Where a (sub)query's closing run of `[FOR VIEW | FOR REFERENCE] [UPDATE TRACKING | VIEWSTAT]
 * [FOR UPDATE]` starts (the end when there is none), and where its `FOR UPDATE` is.
 */
function trailingClauses(tokens: readonly Token[]): { from: number; forUpdate: number | undefined } {
  let from = tokens.length;
  let forUpdate: number | undefined;
  // Read backwards, so in the reverse of the documented order.
  for (const [first, seconds] of [...TRAILING_CLAUSES].reverse()) {
    const second = tokens[from - 1];
    if (isWord(tokens[from - 2], first) && seconds.some((word) => isWord(second, word))) {
      from -= 2;
      if (first === 'for' && isWord(second, 'update')) forUpdate = from;
    }
  }
  return { from, forUpdate };
}

/** The clauses that may follow OFFSET, in their documented order, as a keyword and its possible second words. */
const TRAILING_CLAUSES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['for', ['view', 'reference']],
  ['update', ['tracking', 'viewstat']],
  ['for', ['update']],
];

function isTrailingPair(first: Token | undefined, second: Token | undefined): boolean {
  return TRAILING_CLAUSES.some(
    ([word, seconds]) => isWord(first, word) && seconds.some((w) => isWord(second, w)),
  );
}

/**
 * The tokens of each (sub)query, the statement first and then each `(SELECT ...)` in source order. A
 * subquery's parentheses stay with the query around it, so nothing after a subquery looks like a tail.
 */
function splitLevels(tokens: readonly Token[]): Token[][] {
  const levels: Token[][] = [[]];
  const open: Array<{ level: number; depth: number }> = [];
  tokens.forEach((token, i) => {
    while (open.length > 0 && token.depth <= (open.at(-1)?.depth ?? 0)) open.pop();
    const current = open.at(-1)?.level ?? 0;
    levels[current]?.push(token);
    if (token.text === '(' && isWord(tokens[i + 1], 'select')) {
      open.push({ level: levels.length, depth: token.depth });
      levels.push([]);
    }
  });
  return levels;
}

/** The statement and its subqueries in source order: select list first, then WHERE, depth first. */
function queryLevels(query: QueryBase): QueryBase[] {
  const levels: QueryBase[] = [query];
  for (const field of query.fields ?? []) {
    if (field.type === 'FieldSubquery') levels.push(...queryLevels(field.subquery));
  }
  for (let where: WhereClause | undefined = query.where; where !== undefined; where = nextCondition(where)) {
    const left = where.left;
    if (left !== null && 'valueQuery' in left) levels.push(...queryLevels(left.valueQuery));
  }
  return levels;
}

function nextCondition(where: WhereClause): WhereClause | undefined {
  return 'right' in where ? where.right : undefined;
}

function isWord(token: Token | undefined, word: string): token is Token {
  return token !== undefined && token.kind === 'word' && token.text.toLowerCase() === word;
}
