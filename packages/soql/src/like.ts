import { SoqlBuildError } from './errors.js';
import type { LikePatternNode } from './nodes.js';

function pattern(text: string, anyBefore: boolean, anyAfter: boolean, name: string): LikePatternNode {
  if (typeof text !== 'string') {
    throw new SoqlBuildError('INVALID_VALUE', `SoqlLike.${name}() takes a string, got ${typeof text}`, name);
  }
  return Object.freeze({ kind: 'likePattern', text, anyBefore, anyAfter });
}

/**
 * LIKE patterns built from text that is matched literally: its `%` and `_` are escaped, so user input
 * cannot add wildcards. (A plain string given to `$like` is a raw pattern: `%` and `_` are wildcards.)
 *
 * ```ts
 * from('Account').where({ Name: { $like: SoqlLike.contains(userInput) } });
 * ```
 */
export const SoqlLike = Object.freeze({
  /** `%text%` */
  contains: (text: string): LikePatternNode => pattern(text, true, true, 'contains'),
  /** `text%` */
  startsWith: (text: string): LikePatternNode => pattern(text, false, true, 'startsWith'),
  /** `%text` */
  endsWith: (text: string): LikePatternNode => pattern(text, true, false, 'endsWith'),
  /** `text` with no wildcard: a case-insensitive equality test. */
  exactly: (text: string): LikePatternNode => pattern(text, false, false, 'exactly'),
});
