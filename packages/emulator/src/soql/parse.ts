import { parseQuery, type Query } from '@jetstreamapp/soql-parser-js';
import { caretMessage, SoqlError } from './errors.js';
import { SourceText } from './source.js';
import { parseWithStrandedClauses } from './stranded-clauses.js';

/**
 * Parses SOQL with `@jetstreamapp/soql-parser-js` and rewords its syntax errors as Salesforce does:
 * `unexpected token: 'X'`, plain when the very first token is wrong (`q=invalid`, as recorded from a
 * real org), in the caret form otherwise; `'<EOF>'` when the text ends too early. Two documented clause
 * orders the parser refuses (`WHERE ... OFFSET n`, `FOR VIEW FOR UPDATE`) are parsed by
 * `stranded-clauses.ts` before giving up.
 */
export function parseSoql(src: SourceText): Query {
  const text = src.text;
  if (src.tokens.length === 0) throw new SoqlError('MALFORMED_QUERY', "unexpected token: '<EOF>'");
  try {
    return parseQuery(text);
  } catch (error) {
    const recovered = parseWithStrandedClauses(src);
    if (recovered !== undefined) return recovered;
    throw syntaxError(src, error);
  }
}

/**
 * The parsed statement for callers that read a query's shape outside the engine (explain, PushTopic
 * rules, Bulk API checks), so they take the same clause orders the engine does.
 */
export function parseSoqlText(soql: string): Query {
  return parseSoql(new SourceText(soql));
}

function syntaxError(src: SourceText, error: unknown): SoqlError {
  const message = error instanceof Error ? error.message : String(error);
  const lexing = /unexpected character: ->([\s\S])<- at offset: (\d+)/.exec(message);
  if (lexing !== null) return unexpectedAt(src, Number(lexing[2]), lexing[1] ?? '');
  const found = foundToken(message);
  if (found === undefined) return new SoqlError('MALFORMED_QUERY', message);
  if (found === '') return unexpectedAt(src, src.text.trimEnd().length, '<EOF>');
  return unexpectedAt(src, locateFailingToken(src, found), found);
}

/** The token a parser message says it found: `but found: 'x'`, `but found --> 'x' <--`, `but found: x`. */
function foundToken(message: string): string | undefined {
  const m = /but found:? (?:--> )?(?:'([\s\S]*?)'|(\S+))(?: <--)?\s*$/.exec(message);
  return m === null ? undefined : (m[1] ?? m[2]);
}

function unexpectedAt(src: SourceText, offset: number, token: string): SoqlError {
  const first = src.tokens[0];
  const next = src.tokens.find((candidate) => candidate.start > offset);
  if (token === ':' && next?.kind === 'word') {
    return new SoqlError(
      'MALFORMED_QUERY',
      caretMessage(src.text, offset, 'Bind variables only allowed in Apex code'),
    );
  }
  const text = `unexpected token: '${token}'`;
  if (first !== undefined && offset <= first.start) return new SoqlError('MALFORMED_QUERY', text);
  return new SoqlError('MALFORMED_QUERY', caretMessage(src.text, offset, text));
}

/**
 * The parser names the token it choked on but not where it is. When the token occurs more than once,
 * the culprit is the first occurrence at which parsing the text up to and including it fails on it.
 */
function locateFailingToken(src: SourceText, found: string): number {
  const candidates = src.tokens.filter((token) => token.text === found);
  if (candidates.length <= 1) return candidates[0]?.start ?? 0;
  for (const candidate of candidates) {
    try {
      parseQuery(src.text.slice(0, candidate.end));
    } catch (error) {
      const message = error instanceof Error ? error.message : '';
      const again = foundToken(message);
      if (again === found) return candidate.start;
    }
  }
  return candidates[0]?.start ?? 0;
}
