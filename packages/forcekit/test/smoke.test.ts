import * as bulk from '@forcekit/bulk';
import * as core from '@forcekit/core';
import * as sobject from '@forcekit/sobject';
import * as soql from '@forcekit/soql';
import * as streaming from '@forcekit/streaming';
import * as forcekit from 'forcekit';
import { expect, test } from 'vitest';

test('re-exports every runtime export of core, soql, sobject, bulk and streaming', () => {
  const facade = forcekit as Record<string, unknown>;
  for (const [name, mod] of [
    ['@forcekit/core', core],
    ['@forcekit/soql', soql],
    ['@forcekit/sobject', sobject],
    ['@forcekit/bulk', bulk],
    ['@forcekit/streaming', streaming],
  ] as const) {
    const missing = Object.keys(mod).filter((key) => facade[key] !== (mod as Record<string, unknown>)[key]);
    expect(missing, `missing from forcekit: ${name}`).toEqual([]);
  }
});

test("the facade's own runtime exports are the wiring and nothing else", () => {
  const packages: readonly object[] = [core, soql, sobject, bulk, streaming];
  const own = Object.keys(forcekit).filter((key) => !packages.some((mod) => Object.hasOwn(mod, key)));
  expect(own.sort()).toEqual([
    'BULK_UNPROCESSED',
    'Connection',
    'ConnectionSObject',
    'DEFAULT_BULK_THRESHOLD',
    'connectFromEnv',
    'createConnection',
    'planFromEnv',
  ]);
});
