import type { Query } from '@jetstreamapp/soql-parser-js';
import type { FieldSchema, ObjectSchema, OrgData, StoredRecord } from '../schema/types.js';
import { Engine } from './context.js';
import { caretMessage, SoqlError, unsupportedTypeText } from './errors.js';
import type { SoqlOptions } from './options.js';
import { parseSoql } from './parse.js';
import { runQuery } from './query.js';
import type { RenderContext } from './result-set.js';
import { parseSearchTerm, type SearchExpression, searchMatches, wordsOf } from './search-term.js';
import { SourceText, type Token, tokenize } from './source.js';

/**
 * SOSL: `FIND {term} [IN ALL|NAME|EMAIL|PHONE|SIDEBAR FIELDS] [RETURNING Obj[(fields [WHERE ...]
 * [ORDER BY ...] [LIMIT n] [OFFSET n])], ...] [WITH ...] [LIMIT n]`. Each RETURNING entry runs as the
 * SOQL query it describes, restricted to records whose searched fields match the term, so WHERE,
 * ORDER BY and LIMIT behave exactly as in SOQL. Results come in RETURNING order (Salesforce orders by
 * relevance; the emulator has none), up to 2000 records.
 */
export type SearchGroup = 'ALL' | 'NAME' | 'EMAIL' | 'PHONE' | 'SIDEBAR';

interface ReturningSpec {
  readonly object: string;
  /** The parenthesised part without its parentheses, or undefined for a bare object name. */
  readonly body: string | undefined;
}

interface SoslStatement {
  readonly term: SearchExpression;
  readonly group: SearchGroup;
  readonly returning: readonly ReturningSpec[] | undefined;
  readonly limit: number;
}

const DEFAULT_LIMIT = 2000;
const GROUPS = new Set<string>(['ALL', 'NAME', 'EMAIL', 'PHONE', 'SIDEBAR']);
const NO_BRACES = 'No search term found. The search term must be enclosed in braces.';

/** Runs a SOSL search and returns the `searchRecords` entries: records with `attributes` first. */
export function executeSosl(sosl: string, data: OrgData, options: SoqlOptions): Record<string, unknown>[] {
  const statement = parseSosl(sosl);
  const specs: readonly ReturningSpec[] =
    statement.returning ??
    data
      .objects()
      .filter((schema) => schema.searchable && schema.queryable)
      .map((schema) => ({ object: schema.name, body: undefined }));
  const out: Record<string, unknown>[] = [];
  for (const spec of specs) {
    if (out.length >= statement.limit) break;
    const schema = data.object(spec.object);
    if (schema === undefined) throw new SoqlError('INVALID_TYPE', unsupportedTypeText(spec.object));
    const soql = returningSoql(schema.name, spec.body);
    const src = new SourceText(soql);
    let query: Query;
    try {
      query = parseSoql(src);
    } catch (error) {
      throw asSearchError(error);
    }
    if ((query.fields ?? []).some((field) => field.type === 'FieldSubquery')) {
      throw new SoqlError('MALFORMED_SEARCH', "unexpected token: 'SELECT'");
    }
    const matcher = recordMatcher(schema, statement.group, statement.term);
    const result = runQuery(new Engine(data, options, src), query, 0, { filter: matcher });
    out.push(...result.page(0, statement.limit - out.length, NO_CHILDREN));
  }
  return out;
}

/** SOSL field lists cannot hold child subqueries, so no child result ever needs a locator. */
const NO_CHILDREN: RenderContext = {
  childLocator: () => {
    throw new SoqlError('MALFORMED_SEARCH', 'Child relationship subqueries are not supported in SOSL');
  },
};

function asSearchError(error: unknown): unknown {
  return error instanceof SoqlError && error.errorCode === 'MALFORMED_QUERY'
    ? new SoqlError('MALFORMED_SEARCH', error.message)
    : error;
}

/** `Account(Id, Name WHERE ...)` as `SELECT Id, Name FROM Account WHERE ...`. */
function returningSoql(object: string, body: string | undefined): string {
  if (body === undefined || body.trim() === '') return `SELECT Id FROM ${object}`;
  const clauseAt = tokenize(body).find(
    (token) =>
      token.depth === 0 && token.kind === 'word' && /^(where|order|limit|offset|using)$/i.test(token.text),
  )?.start;
  const fields = clauseAt === undefined ? body : body.slice(0, clauseAt);
  let rest = clauseAt === undefined ? '' : body.slice(clauseAt);
  // USING LISTVIEW=... only narrows the search to a list view; the emulator has none.
  rest = rest.replace(/\bUSING\s+LISTVIEW\s*=\s*\w+/i, '');
  return `SELECT ${fields.trim()} FROM ${object} ${rest.trim()}`.trim();
}

function parseSosl(sosl: string): SoslStatement {
  const find = /^\s*FIND\b/i.exec(sosl);
  if (find === null) {
    const first = tokenize(sosl)[0];
    throw new SoqlError('MALFORMED_SEARCH', `unexpected token: '${first?.text ?? '<EOF>'}'`);
  }
  let i = find[0].length;
  while (/\s/.test(sosl[i] ?? '')) i++;
  if (sosl[i] !== '{') throw new SoqlError('MALFORMED_SEARCH', NO_BRACES);
  let end = i + 1;
  while (end < sosl.length && sosl[end] !== '}') end += sosl[end] === '\\' ? 2 : 1;
  if (end >= sosl.length) throw new SoqlError('MALFORMED_SEARCH', NO_BRACES);
  const term = parseSearchTerm(sosl.slice(i + 1, end));

  const restStart = end + 1;
  const tokens = tokenize(sosl.slice(restStart)).map((token) => ({
    ...token,
    start: token.start + restStart,
    end: token.end + restStart,
  }));
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const word = (token: Token | undefined): string => (token?.kind === 'word' ? token.text.toUpperCase() : '');
  const unexpected = (): never => {
    const token = peek();
    const text = `unexpected token: '${token?.text ?? '<EOF>'}'`;
    throw new SoqlError('MALFORMED_SEARCH', caretMessage(sosl, token?.start ?? sosl.length, text));
  };

  let group: SearchGroup = 'ALL';
  if (word(peek()) === 'IN') {
    pos++;
    const name = word(peek());
    if (!GROUPS.has(name)) unexpected();
    pos++;
    if (word(peek()) !== 'FIELDS') unexpected();
    pos++;
    group = name as SearchGroup;
  }

  let returning: ReturningSpec[] | undefined;
  if (word(peek()) === 'RETURNING') {
    pos++;
    returning = [];
    for (;;) {
      const name = peek();
      if (name?.kind !== 'word') unexpected();
      pos++;
      let body: string | undefined;
      if (peek()?.text === '(') {
        const open = peek() as Token;
        const close = tokens.findIndex(
          (token, k) => k > pos && token.text === ')' && token.depth === open.depth,
        );
        if (close === -1) unexpected();
        body = sosl.slice(open.end, tokens[close]?.start);
        pos = close + 1;
      }
      returning.push({ object: (name as Token).text, body });
      if (peek()?.text !== ',') break;
      pos++;
    }
  }

  // WITH DIVISION / DATA CATEGORY / SNIPPET / NETWORK / PRICEBOOKID / METADATA / HIGHLIGHT / SPELL_CORRECTION:
  // accepted; none of them narrows an emulated org's results.
  while (word(peek()) === 'WITH') {
    pos++;
    for (let token = peek(); token !== undefined; token = peek()) {
      if (token.depth === 0 && ['WITH', 'LIMIT', 'UPDATE'].includes(word(token))) break;
      pos++;
    }
  }

  let limit = DEFAULT_LIMIT;
  if (word(peek()) === 'LIMIT') {
    pos++;
    const n = peek();
    if (n?.kind !== 'number' || !/^\d+$/.test(n.text)) unexpected();
    limit = Math.min(DEFAULT_LIMIT, Number((n as Token).text));
    pos++;
  }
  if (word(peek()) === 'UPDATE') {
    pos++;
    while (['TRACKING', 'VIEWSTAT'].includes(word(peek())) || peek()?.text === ',') pos++;
  }
  if (peek() !== undefined) unexpected();
  return { term, group, returning, limit };
}

const SEARCHABLE_TEXT = new Set(['string', 'textarea', 'email', 'phone', 'url', 'combobox']);

function searchedFields(schema: ObjectSchema, group: SearchGroup): FieldSchema[] {
  switch (group) {
    case 'NAME':
      return schema.fields.filter((field) => field.nameField);
    case 'EMAIL':
      return schema.fields.filter((field) => field.type === 'email');
    case 'PHONE':
      return schema.fields.filter((field) => field.type === 'phone');
    default:
      return schema.fields.filter((field) => SEARCHABLE_TEXT.has(field.type));
  }
}

/** Whether a record's searched fields match the term; phone numbers also match by their digits. */
function recordMatcher(
  schema: ObjectSchema,
  group: SearchGroup,
  term: SearchExpression,
): (record: StoredRecord) => boolean {
  const fields = searchedFields(schema, group).map((field) => ({
    name: field.name,
    phone: field.type === 'phone',
  }));
  return (record) => {
    const words: string[][] = [];
    for (const field of fields) {
      const value = record[field.name];
      if (typeof value !== 'string' || value === '') continue;
      words.push(wordsOf(value));
      if (field.phone) words.push([value.replace(/\D/g, '')]);
    }
    return words.length > 0 && searchMatches(term, words);
  };
}
