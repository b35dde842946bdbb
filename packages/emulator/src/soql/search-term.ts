import { SoqlError } from './errors.js';
import { escapeRegExp } from './literals.js';

/**
 * The search term of a SOSL `FIND {...}`: words with `*` (any run of characters) and `?` (one
 * character) wildcards, "quoted phrases", AND / OR / AND NOT and parentheses; words side by side mean
 * AND. Terms match whole words of a field's text, case-insensitively; a term that spans several words
 * (`"Acme Corp"`, `jane@acme.com`) matches them in sequence.
 */
export type SearchExpression =
  | { readonly kind: 'term'; readonly words: readonly WordMatcher[] }
  | { readonly kind: 'and' | 'or'; readonly items: readonly SearchExpression[] }
  | { readonly kind: 'not'; readonly item: SearchExpression };

export type WordMatcher = (word: string) => boolean;

type TermToken =
  | { readonly t: 'word' | 'phrase'; readonly text: string }
  | { readonly t: '(' | ')' | 'AND' | 'OR' | 'NOT' };

const WORD_SPLIT = /[^\p{L}\p{N}*?]+/u;

/** Splits field text into lower-cased words. */
export function wordsOf(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '');
}

function matcher(word: string): WordMatcher {
  if (!word.includes('*') && !word.includes('?')) return (candidate) => candidate === word;
  const pattern = new RegExp(
    `^${[...word].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : escapeRegExp(c))).join('')}$`,
    'u',
  );
  return (candidate) => pattern.test(candidate);
}

function termWords(text: string): WordMatcher[] {
  return text
    .toLowerCase()
    .split(WORD_SPLIT)
    .filter((word) => word !== '')
    .map(matcher);
}

function tokenize(term: string): TermToken[] {
  const tokens: TermToken[] = [];
  let i = 0;
  while (i < term.length) {
    const c = term[i] ?? '';
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      tokens.push({ t: c });
      i++;
    } else if (c === '"') {
      const end = term.indexOf('"', i + 1);
      const stop = end === -1 ? term.length : end;
      tokens.push({ t: 'phrase', text: unescapeTerm(term.slice(i + 1, stop)) });
      i = stop + 1;
    } else {
      let word = '';
      while (i < term.length && !/[\s()"]/.test(term[i] ?? '')) {
        if (term[i] === '\\' && i + 1 < term.length) i++;
        word += term[i];
        i++;
      }
      const upper = word.toUpperCase();
      if (upper === 'AND' || upper === 'OR' || upper === 'NOT') tokens.push({ t: upper });
      else tokens.push({ t: 'word', text: word });
    }
  }
  return tokens;
}

function unescapeTerm(text: string): string {
  return text.replace(/\\(.)/g, '$1');
}

/** Parses a search term (the text between the braces). */
export function parseSearchTerm(term: string): SearchExpression {
  const tokens = tokenize(term);
  const meaningful = tokens
    .filter((token) => token.t === 'word' || token.t === 'phrase')
    .map((token) => ('text' in token ? token.text.replace(/[*?\s]/g, '') : ''))
    .join('');
  if (meaningful.length < 2) {
    throw new SoqlError('INVALID_SEARCH', 'search term must be longer than one character');
  }
  let pos = 0;
  const unexpected = (): never => {
    const token = tokens[pos];
    const text = token === undefined ? '<EOF>' : 'text' in token ? token.text : token.t;
    throw new SoqlError('MALFORMED_SEARCH', `unexpected token: '${text}'`);
  };

  const parsePrimary = (): SearchExpression => {
    const token = tokens[pos];
    if (token?.t === '(') {
      pos++;
      const inner = parseOr();
      if (tokens[pos]?.t !== ')') unexpected();
      pos++;
      return inner;
    }
    if (token?.t === 'NOT') {
      pos++;
      return { kind: 'not', item: parsePrimary() };
    }
    if (token?.t === 'word' || token?.t === 'phrase') {
      pos++;
      const words = termWords(token.text);
      return words.length === 0 ? { kind: 'and', items: [] } : { kind: 'term', words };
    }
    return unexpected();
  };

  const parseAnd = (): SearchExpression => {
    const items = [parsePrimary()];
    for (;;) {
      const token = tokens[pos];
      if (token?.t === 'AND') {
        pos++;
        if (tokens[pos]?.t === 'NOT') {
          pos++;
          items.push({ kind: 'not', item: parsePrimary() });
        } else {
          items.push(parsePrimary());
        }
      } else if (token?.t === 'word' || token?.t === 'phrase' || token?.t === '(' || token?.t === 'NOT') {
        items.push(parsePrimary());
      } else {
        break;
      }
    }
    return items.length === 1 ? (items[0] as SearchExpression) : { kind: 'and', items };
  };

  const parseOr = (): SearchExpression => {
    const items = [parseAnd()];
    while (tokens[pos]?.t === 'OR') {
      pos++;
      items.push(parseAnd());
    }
    return items.length === 1 ? (items[0] as SearchExpression) : { kind: 'or', items };
  };

  const expression = parseOr();
  if (pos < tokens.length) unexpected();
  return expression;
}

/** True when some field's words contain the term's words in sequence. */
function termMatches(words: readonly WordMatcher[], fields: readonly (readonly string[])[]): boolean {
  for (const fieldWords of fields) {
    for (let start = 0; start + words.length <= fieldWords.length; start++) {
      let all = true;
      for (let k = 0; k < words.length && all; k++)
        all = (words[k] as WordMatcher)(fieldWords[start + k] ?? '');
      if (all) return true;
    }
  }
  return false;
}

/** Evaluates the expression against the words of a record's searched fields. */
export function searchMatches(expression: SearchExpression, fields: readonly (readonly string[])[]): boolean {
  switch (expression.kind) {
    case 'term':
      return termMatches(expression.words, fields);
    case 'and':
      return expression.items.every((item) => searchMatches(item, fields));
    case 'or':
      return expression.items.some((item) => searchMatches(item, fields));
    case 'not':
      return !searchMatches(expression.item, fields);
  }
}
