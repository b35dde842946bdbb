import type {
  ConditionWithValueQuery,
  HavingClause,
  NegationCondition,
  WhereClause,
} from '@jetstreamapp/soql-parser-js';

/** A comparison: everything a condition can be except the bare parenthesis marker of a NOT. */
export type LeafCondition = Exclude<ConditionWithValueQuery, NegationCondition>;

/**
 * The parser hands WHERE and HAVING over as a flat chain (`left`, `operator`, `right`) with parenthesis
 * counts on the conditions. This rebuilds the real tree by SOQL's own grammar:
 *
 *   logical := NOT cond | cond (AND cond)* | cond (OR cond)*
 *   cond    := '(' logical ')' | fieldExpression
 *
 * so AND and OR never mix without parentheses and NOT only starts an expression, and a query that
 * breaks those rules fails with `unexpected token` as it does on Salesforce.
 */
export type ConditionTree =
  | { readonly kind: 'and' | 'or'; readonly items: readonly ConditionTree[] }
  | { readonly kind: 'not'; readonly item: ConditionTree }
  | { readonly kind: 'leaf'; readonly condition: LeafCondition };

type Keyword = 'AND' | 'OR' | 'NOT';

type FlatToken =
  | { readonly t: '(' | ')' }
  | { readonly t: Keyword; readonly nth: number }
  | { readonly t: 'leaf'; readonly condition: LeafCondition }
  // Two conditions side by side with no AND/OR between them, which the parser lets through.
  | { readonly t: 'juxtaposed'; readonly word: string; readonly nth: number };

/**
 * Called with the offending word (a keyword, a parenthesis, or the field that starts a condition) and
 * which occurrence of it (0-based) in the clause it is.
 */
export type UnexpectedKeyword = (word: string, nth: number) => never;

/** The first word of a condition as written (`Name`, `Account`, `CALENDAR_YEAR`). */
function leadingWord(condition: LeafCondition): string {
  const text =
    'fn' in condition ? (condition.fn.rawValue ?? condition.fn.functionName ?? '') : condition.field;
  return /[A-Za-z_][A-Za-z0-9_]*/.exec(text)?.[0] ?? text;
}

/** How often `word` occurs in the text of a condition's left side. */
function occurrences(condition: LeafCondition, word: string): number {
  const text = 'fn' in condition ? (condition.fn.rawValue ?? '') : condition.field;
  return text.split(/[^A-Za-z0-9_]+/).filter((part) => part.toLowerCase() === word.toLowerCase()).length;
}

function isNegation(condition: ConditionWithValueQuery): condition is NegationCondition {
  return !('field' in condition) && !('fn' in condition);
}

function flatten(clause: WhereClause | HavingClause): FlatToken[] {
  const tokens: FlatToken[] = [];
  const seen: Record<Keyword, number> = { AND: 0, OR: 0, NOT: 0 };
  const keyword = (t: Keyword): void => {
    tokens.push({ t, nth: seen[t] });
    seen[t]++;
  };
  const leaves: LeafCondition[] = [];
  let node: WhereClause | HavingClause | undefined = clause;
  while (node !== undefined) {
    const left = node.left as ConditionWithValueQuery | null;
    if (left !== null && isNegation(left)) {
      for (let i = 0; i < (left.openParen ?? 0); i++) tokens.push({ t: '(' });
    } else if (left !== null) {
      for (let i = 0; i < (left.openParen ?? 0); i++) tokens.push({ t: '(' });
      tokens.push({ t: 'leaf', condition: left });
      leaves.push(left);
      // `NOT IN` puts a NOT keyword in the text that is not a logical operator.
      if (left.operator === 'NOT IN') seen.NOT++;
      for (let i = 0; i < (left.closeParen ?? 0); i++) tokens.push({ t: ')' });
    }
    const operator = 'operator' in node ? node.operator : undefined;
    const right: WhereClause | HavingClause | undefined = 'right' in node ? node.right : undefined;
    if (operator !== undefined) keyword(operator);
    else if (right !== undefined) tokens.push(juxtaposed(right, leaves));
    node = right;
  }
  return tokens;
}

function juxtaposed(next: WhereClause | HavingClause, before: readonly LeafCondition[]): FlatToken {
  const left = next.left as ConditionWithValueQuery | null;
  if (left === null) return { t: 'juxtaposed', word: 'NOT', nth: 0 };
  if (isNegation(left) || (left.openParen ?? 0) > 0) return { t: 'juxtaposed', word: '(', nth: 0 };
  const word = leadingWord(left);
  const nth = before.reduce((count, condition) => count + occurrences(condition, word), 0);
  return { t: 'juxtaposed', word, nth };
}

export function buildConditionTree(
  clause: WhereClause | HavingClause,
  unexpected: UnexpectedKeyword,
): ConditionTree {
  const tokens = flatten(clause);
  let pos = 0;
  const fail = (token: FlatToken | undefined): never => {
    if (token === undefined || token.t === 'leaf') return unexpected(')', 0);
    if (token.t === 'juxtaposed') return unexpected(token.word, token.nth);
    return unexpected(token.t, 'nth' in token ? token.nth : 0);
  };
  const isLogical = (token: FlatToken | undefined, t: 'AND' | 'OR'): boolean => token?.t === t;

  const parseCondition = (): ConditionTree => {
    const token = tokens[pos];
    if (token?.t === '(') {
      pos++;
      const inner = parseLogical();
      if (tokens[pos]?.t !== ')') fail(tokens[pos]);
      pos++;
      return inner;
    }
    if (token?.t === 'leaf') {
      pos++;
      return { kind: 'leaf', condition: token.condition };
    }
    return fail(token);
  };

  const parseLogical = (): ConditionTree => {
    if (tokens[pos]?.t === 'NOT') {
      pos++;
      const item = parseCondition();
      const after = tokens[pos];
      if (after !== undefined && after.t !== ')') fail(after);
      return { kind: 'not', item };
    }
    const first = parseCondition();
    const next = tokens[pos];
    if (next?.t !== 'AND' && next?.t !== 'OR') return first;
    const op = next.t;
    const items = [first];
    while (isLogical(tokens[pos], op)) {
      pos++;
      items.push(parseCondition());
    }
    const after = tokens[pos];
    if (after !== undefined && after.t !== ')') fail(after);
    return { kind: op === 'AND' ? 'and' : 'or', items };
  };

  const tree = parseLogical();
  if (pos < tokens.length) fail(tokens[pos]);
  return tree;
}
