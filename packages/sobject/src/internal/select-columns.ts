// The columns a SOQL select list produces, read from the SOQL text: what `toCSV()` writes as its header.
// Field paths give their path (`Owner.Name`), aggregates their alias or Salesforce's `expr0, expr1...`
// names, `toLabel(X)` / `convertCurrency(X)` / `FORMAT(X)` the field `X`. Child subqueries produce no
// column (a CSV row cannot hold a list). `FIELDS(...)` and `TYPEOF` yield `undefined`: the caller then
// takes the columns from the first record.

const PATH = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;
/** A field with an alias (`Name n`, allowed in grouped queries). */
const ALIASED_PATH = /^[A-Za-z_][A-Za-z0-9_.]*\s+([A-Za-z_][A-Za-z0-9_]*)$/;
const FUNCTION = /^([A-Za-z_][A-Za-z0-9_]*)\s*\(([\s\S]*)\)(?:\s+([A-Za-z_][A-Za-z0-9_]*))?$/;
const FIELD_PRESERVING = new Set(['tolabel', 'convertcurrency', 'format']);

const FROM = /\s+from\s/iy;

function isFromAt(soql: string, index: number): boolean {
  FROM.lastIndex = index;
  return FROM.test(soql);
}

/** The select list's items at parenthesis depth 0, or undefined when the text is not `SELECT ... FROM`. */
function selectItems(soql: string): string[] | undefined {
  const start = /^\s*select\s/i.exec(soql);
  if (start === null) return undefined;
  const items: string[] = [];
  let depth = 0;
  let itemStart = start[0].length;
  for (let i = itemStart; i < soql.length; i++) {
    const c = soql[i];
    if (c === "'") {
      for (i++; i < soql.length && soql[i] !== "'"; i++) if (soql[i] === '\\') i++;
    } else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && c === ',') {
      items.push(soql.slice(itemStart, i).trim());
      itemStart = i + 1;
    } else if (depth === 0 && isFromAt(soql, i)) {
      items.push(soql.slice(itemStart, i).trim());
      return items;
    }
  }
  return undefined;
}

export function selectColumns(soql: string): string[] | undefined {
  const items = selectItems(soql);
  if (items === undefined) return undefined;
  const columns: string[] = [];
  let expr = 0;
  for (const item of items) {
    if (item.startsWith('(')) continue;
    if (PATH.test(item)) {
      columns.push(item);
      continue;
    }
    const aliased = ALIASED_PATH.exec(item);
    if (aliased !== null) {
      columns.push(aliased[1] as string);
      continue;
    }
    const call = FUNCTION.exec(item);
    if (call === null) return undefined;
    const [, name, argument, alias] = call as unknown as [string, string, string, string | undefined];
    const fn = name.toLowerCase();
    if (fn === 'fields' || fn === 'typeof') return undefined;
    if (alias !== undefined) columns.push(alias);
    else if (FIELD_PRESERVING.has(fn) && PATH.test(argument.trim())) columns.push(argument.trim());
    else if (fn === 'count' && argument.trim() === '') continue;
    // Salesforce numbers the unaliased aggregates only: `SUM(a), MIN(b) m, MAX(c)` are expr0, m, expr1.
    else columns.push(`expr${expr++}`);
  }
  return columns;
}
