/**
 * The query text as tokens with positions. The SOQL parser we use reports neither token positions nor
 * Salesforce's wording, so error messages that point at a place in the query (`ERROR at Row:1:Column:8`)
 * find that place here: the first occurrence of a field path, the n-th `OR` of a WHERE clause, the n-th
 * `(SELECT` of the statement.
 */

export type TokenKind = 'word' | 'number' | 'string' | 'punct' | 'unterminated';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** Parenthesis depth the token sits at (`(` and `)` carry the depth outside them). */
  readonly depth: number;
}

const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;
// Numbers, dates and datetimes (`2020-01-01T10:00:00+05:30`) lex as one token.
const NUMBER = /[0-9][0-9A-Za-z_.:+-]*/y;
const TWO_CHAR_PUNCT = new Set(['!=', '<>', '<=', '>=']);

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let depth = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? '';
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') {
      i++;
      continue;
    }
    const start = i;
    let kind: TokenKind;
    if (c === "'") {
      kind = 'unterminated';
      i++;
      while (i < text.length) {
        const d = text[i];
        if (d === '\\') i += 2;
        else if (d === "'") {
          i++;
          kind = 'string';
          break;
        } else i++;
      }
      i = Math.min(i, text.length);
    } else if (matchAt(WORD, text, i)) {
      kind = 'word';
      i = WORD.lastIndex;
    } else if (matchAt(NUMBER, text, i)) {
      kind = 'number';
      i = NUMBER.lastIndex;
    } else {
      kind = 'punct';
      i += TWO_CHAR_PUNCT.has(text.slice(i, i + 2)) ? 2 : 1;
    }
    const tokenText = text.slice(start, i);
    if (tokenText === ')') depth = Math.max(0, depth - 1);
    tokens.push({ kind, text: tokenText, start, end: i, depth });
    if (tokenText === '(') depth++;
  }
  return tokens;
}

function matchAt(re: RegExp, text: string, at: number): boolean {
  re.lastIndex = at;
  return re.test(text);
}

function isWord(token: Token | undefined, word: string): boolean {
  return token !== undefined && token.kind === 'word' && token.text.toLowerCase() === word;
}

export class SourceText {
  readonly text: string;
  readonly tokens: readonly Token[];

  constructor(text: string) {
    this.text = text;
    this.tokens = tokenize(text);
  }

  /** Offsets of every `(` that opens a `(SELECT ...)`, in source order. */
  subqueryStarts(): number[] {
    const starts: number[] = [];
    this.tokens.forEach((token, i) => {
      if (token.text === '(' && isWord(this.tokens[i + 1], 'select')) starts.push(token.start);
    });
    return starts;
  }

  /**
   * Where a dotted path (`Account.Owner.Name`, case-insensitive) first starts at or after `from`;
   * `from` when it does not occur.
   */
  findPath(path: string, from: number): number {
    const parts = path.toLowerCase().split('.');
    for (let i = this.firstIndexAt(from); i < this.tokens.length; i++) {
      if (this.tokens[i - 1]?.text === '.') continue;
      if (this.pathMatches(i, parts)) return this.tokens[i]?.start ?? from;
    }
    return from;
  }

  private pathMatches(at: number, parts: readonly string[]): boolean {
    for (let k = 0; k < parts.length; k++) {
      const token = this.tokens[at + k * 2];
      if (token === undefined || token.kind !== 'word' || token.text.toLowerCase() !== parts[k]) return false;
      if (k < parts.length - 1 && this.tokens[at + k * 2 + 1]?.text !== '.') return false;
    }
    return true;
  }

  /**
   * The offset of the `nth` (0-based) occurrence of a keyword in the (sub)query that starts at
   * `scopeStart`, at or after `from`, skipping nested `(SELECT ...)` groups and string contents.
   */
  findKeyword(keyword: string, scopeStart: number, from: number, nth = 0): number | undefined {
    const word = keyword.toLowerCase();
    let seen = 0;
    for (const token of this.scopeTokens(scopeStart)) {
      if (token.start < from) continue;
      if (isWord(token, word)) {
        if (seen === nth) return token.start;
        seen++;
      }
    }
    return undefined;
  }

  /** The offset of the first token at or after `offset` whose text is `text`; for the parser's errors. */
  findToken(text: string, from: number): number | undefined {
    for (let i = this.firstIndexAt(from); i < this.tokens.length; i++) {
      const token = this.tokens[i];
      if (token !== undefined && token.text.toLowerCase() === text.toLowerCase()) return token.start;
    }
    return undefined;
  }

  /** The tokens that belong to the (sub)query starting at `scopeStart` itself, not to nested subqueries. */
  private *scopeTokens(scopeStart: number): Generator<Token> {
    let i = this.firstIndexAt(scopeStart);
    const opener = this.tokens[i];
    let scopeDepth = 0;
    if (opener?.text === '(') {
      scopeDepth = opener.depth + 1;
      i++;
    }
    for (; i < this.tokens.length; i++) {
      const token = this.tokens[i];
      if (token === undefined) return;
      if (token.depth < scopeDepth) return;
      if (token.text === '(' && isWord(this.tokens[i + 1], 'select')) {
        i = this.closingIndex(i);
        continue;
      }
      yield token;
    }
  }

  private closingIndex(openIndex: number): number {
    const depth = this.tokens[openIndex]?.depth ?? 0;
    for (let i = openIndex + 1; i < this.tokens.length; i++) {
      const token = this.tokens[i];
      if (token?.text === ')' && token.depth === depth) return i;
    }
    return this.tokens.length;
  }

  private firstIndexAt(offset: number): number {
    const index = this.tokens.findIndex((token) => token.start >= offset);
    return index === -1 ? this.tokens.length : index;
  }
}
