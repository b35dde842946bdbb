import * as core from '@forcekit/core';
import * as sobject from '@forcekit/sobject';
import * as soql from '@forcekit/soql';
import * as forcekit from 'forcekit';
import { expect, test } from 'vitest';

test('re-exports every runtime export of core, soql and sobject', () => {
  const facade = forcekit as Record<string, unknown>;
  for (const [name, mod] of [
    ['@forcekit/core', core],
    ['@forcekit/soql', soql],
    ['@forcekit/sobject', sobject],
  ] as const) {
    const missing = Object.keys(mod).filter((key) => facade[key] !== (mod as Record<string, unknown>)[key]);
    expect(missing, `missing from forcekit: ${name}`).toEqual([]);
  }
});
