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
