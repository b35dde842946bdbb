import { parseQuery } from '@jetstreamapp/soql-parser-js';
import { expect } from 'vitest';
import { compileSoql, type QueryNode } from '../src/index.js';

/**
 * The one assertion for compiled queries: the exact SOQL text, the same text from compiling the
 * builder's node tree directly, and a real SOQL parser accepting it.
 */
export function expectSoql(query: { toSOQL(): string; toNode(): QueryNode }, expected: string): void {
  const soql = query.toSOQL();
  expect(soql).toBe(expected);
  expect(compileSoql(query.toNode())).toBe(soql);
  expect(() => parseQuery(soql)).not.toThrow();
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  n: '\n',
  N: '\n',
  r: '\r',
  R: '\r',
  t: '\t',
  T: '\t',
  b: '\b',
  B: '\b',
  f: '\f',
  F: '\f',
};

/**
 * Read a quoted SOQL string literal back into the string it stands for, following Salesforce's escape
 * table (section 7.1 of the protocol notes). Any escape not in the table throws, as it would on the
 * server; `\%` and `\_` are accepted only when `like` is set.
 */
export function decodeSoqlString(literal: string, like = false): string {
  if (literal.length < 2 || !literal.startsWith("'") || !literal.endsWith("'")) {
    throw new Error(`not a quoted literal: ${literal}`);
  }
  const body = literal.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const char = body[i] as string;
    if (char === "'") throw new Error(`unescaped quote inside literal at ${i}: ${literal}`);
    if (char !== '\\') {
      out += char;
      continue;
    }
    const next = body[++i];
    if (next === undefined) throw new Error('literal ends in a lone backslash');
    if (next === 'u') {
      const hex = body.slice(i + 1, i + 5);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new Error(`bad \\u escape: ${hex}`);
      out += String.fromCharCode(Number.parseInt(hex, 16));
      i += 4;
    } else if (like && (next === '%' || next === '_')) {
      out += `\\${next}`;
    } else if (next in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[next];
    } else {
      throw new Error(`invalid escape \\${next} in ${literal}`);
    }
  }
  return out;
}
