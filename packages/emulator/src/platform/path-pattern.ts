/**
 * Path patterns for faults: a glob string or a RegExp, matched against the request path (no query
 * string, no trailing slash). In globs `*` matches within one segment, `**` across segments and `?` one
 * character; matching is case-insensitive because Salesforce's resource names are.
 */
export type PathPattern = string | RegExp;

export function compilePathPattern(pattern: PathPattern): RegExp {
  if (pattern instanceof RegExp) return pattern;
  if (!pattern.startsWith('/') && !pattern.startsWith('*')) {
    throw new TypeError(`path glob must start with "/" or "*", got "${pattern}"`);
  }
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        source += '.*';
        i++;
      } else {
        source += '[^/]*';
      }
    } else if (c === '?') {
      source += '[^/]';
    } else {
      source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${trimSlash(source)}/?$`, 'i');
}

export function normalizePath(path: string): string {
  return trimSlash(path) || '/';
}

function trimSlash(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}
