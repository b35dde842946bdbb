/**
 * The little XML the classic Bulk API speaks: flat documents (`jobInfo`, `batchInfo`, `error`) and
 * lists of them (`batchInfoList`, `result-list`). A small parser for exactly that: elements, text,
 * entities and CDATA; attributes (the namespace) are read past; no DTDs.
 */

export const DATALOAD_NS = 'http://www.force.com/2009/06/asyncapi/dataload';

/** An element: its local name, children and text (the concatenated text of a leaf). */
export interface XmlElement {
  readonly name: string;
  readonly children: XmlElement[];
  text: string;
}

const ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function escapeXml(value: string): string {
  return value.replace(
    /[<>&"']/g,
    (c) => `&${c === '<' ? 'lt' : c === '>' ? 'gt' : c === '&' ? 'amp' : c === '"' ? 'quot' : 'apos'};`,
  );
}

function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (whole, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number.parseInt(entity.slice(1), 10));
    return ENTITIES[entity] ?? whole;
  });
}

/** Builds a document whose root holds the given children, in order (undefined values are left out). */
export function xmlDocument(
  root: string,
  children: readonly (readonly [string, string | undefined])[],
): string {
  let body = '';
  for (const [name, value] of children) {
    if (value !== undefined) body += `<${name}>${escapeXml(value)}</${name}>`;
  }
  return `<?xml version="1.0" encoding="UTF-8"?><${root} xmlns="${DATALOAD_NS}">${body}</${root}>`;
}

/** Parses a document; returns its root element. Throws a `SyntaxError` on malformed input. */
export function parseXml(text: string): XmlElement {
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const lt = text.indexOf('<', i);
    const chunk = lt === -1 ? text.slice(i) : text.slice(i, lt);
    if (stack.length > 0 && chunk !== '')
      (stack[stack.length - 1] as XmlElement).text += decodeEntities(chunk);
    if (lt === -1) break;
    if (text.startsWith('<?', lt) || text.startsWith('<!--', lt)) {
      const close = text.startsWith('<?', lt) ? '?>' : '-->';
      const end = text.indexOf(close, lt);
      if (end === -1) throw new SyntaxError('XML: unterminated declaration or comment');
      i = end + close.length;
      continue;
    }
    if (text.startsWith('<![CDATA[', lt)) {
      const end = text.indexOf(']]>', lt);
      if (end === -1) throw new SyntaxError('XML: unterminated CDATA');
      if (stack.length > 0) (stack[stack.length - 1] as XmlElement).text += text.slice(lt + 9, end);
      i = end + 3;
      continue;
    }
    const gt = text.indexOf('>', lt);
    if (gt === -1) throw new SyntaxError('XML: unterminated tag');
    const tag = text.slice(lt + 1, gt);
    i = gt + 1;
    if (tag.startsWith('/')) {
      const name = localName(tag.slice(1).trim());
      const open = stack.pop();
      if (open === undefined || open.name !== name) throw new SyntaxError(`XML: unexpected </${name}>`);
      continue;
    }
    const selfClosing = tag.endsWith('/');
    const name = localName((selfClosing ? tag.slice(0, -1) : tag).trim().split(/\s/, 1)[0] ?? '');
    if (name === '') throw new SyntaxError('XML: empty tag name');
    const element: XmlElement = { name, children: [], text: '' };
    const parent = stack[stack.length - 1];
    if (parent !== undefined) parent.children.push(element);
    else if (root === undefined) root = element;
    else throw new SyntaxError('XML: more than one root element');
    if (!selfClosing) stack.push(element);
  }
  if (root === undefined || stack.length > 0) throw new SyntaxError('XML: incomplete document');
  return root;
}

function localName(qualified: string): string {
  const colon = qualified.indexOf(':');
  return colon === -1 ? qualified : qualified.slice(colon + 1);
}

/** A flat element's leaf children as name -> text (the first of each name). */
export function leafValues(element: XmlElement): Record<string, string> {
  const out: Record<string, string> = {};
  for (const child of element.children) {
    if (!(child.name in out)) out[child.name] = child.children.length === 0 ? child.text.trim() : '';
  }
  return out;
}
