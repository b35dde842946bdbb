import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The root vitest config runs test workers with `--conditions import` (from `resolve.conditions`), so a
 * CommonJS `require('is-promise')` inside express 5's router resolves to is-promise's ESM build, whose
 * namespace object is not callable ("isPromise is not a function" on every async route). Outside vitest
 * (node, tsx) the `require` condition wins and nothing is wrong. Imported for its effect before express,
 * this preloads the CommonJS build under the file name the conditions pick, so the router gets the
 * function it gets in production.
 */
function preferCommonJsIsPromise(): void {
  const require = createRequire(import.meta.url);
  const routerRequire = createRequire(createRequire(require.resolve('express')).resolve('router'));
  const picked = routerRequire.resolve('is-promise');
  if (!picked.endsWith('.mjs')) return;
  const commonJs = join(dirname(picked), 'index.js');
  routerRequire(commonJs);
  const cached = require.cache[commonJs];
  if (cached !== undefined) require.cache[picked] = cached;
}

preferCommonJsIsPromise();
