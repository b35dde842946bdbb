import * as forcekit from 'forcekit';
import { expect, test } from 'vitest';

test('resolves workspace packages from source', () => {
  expect(forcekit.placeholder).toBe(true);
});
