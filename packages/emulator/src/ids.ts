/**
 * Salesforce record ids: 15 case-sensitive characters (3-character key prefix + 12), plus a 3-character
 * checksum suffix that makes the 18-character form case-insensitive. The API returns 18-character ids
 * everywhere and accepts both.
 */

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const ID_PATTERN = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-5]{3})?$/;

/** Key prefixes of the objects the emulator knows by default, plus a few system ones. */
export const KEY_PREFIXES = {
  Account: '001',
  Contact: '003',
  User: '005',
  Opportunity: '006',
  Organization: '00D',
  Attachment: '00P',
  Lead: '00Q',
  Task: '00T',
  Event: '00U',
  Profile: '00e',
  Document: '015',
  Folder: '00l',
  ContentVersion: '068',
  ContentDocument: '069',
  PushTopic: '0IF',
  Case: '500',
  BulkJob: '750',
  BulkBatch: '751',
  QueryLocator: '01g',
  RecordType: '012',
} as const;

/** The 3-character suffix that turns a 15-character id into its 18-character form. */
export function idChecksum(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET[bits];
  }
  return suffix;
}

/**
 * The 15-character id an id stands for. An 18-character id is case-insensitive: its suffix says which
 * of the first 15 characters are upper case, so any casing of it restores the same record id.
 */
function restore15(value: string): string | undefined {
  if (!ID_PATTERN.test(value)) return undefined;
  if (value.length === 15) return value;
  const suffix = value.slice(15).toUpperCase();
  let id15 = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    const bits = SUFFIX_ALPHABET.indexOf(suffix[chunk] ?? '');
    if (bits < 0) return undefined;
    for (let i = 0; i < 5; i++) {
      const c = value[chunk * 5 + i] ?? '';
      id15 += bits & (1 << i) ? c.toUpperCase() : c.toLowerCase();
    }
  }
  // Digits cannot carry case: a suffix that marks a digit upper case is not a real checksum.
  return idChecksum(id15) === suffix ? id15 : undefined;
}

/** True for a syntactically valid 15- or 18-character id (with a consistent checksum when 18). */
export function isId(value: string): boolean {
  return restore15(value) !== undefined;
}

/** The canonical 18-character form of a valid id; `undefined` when the value is not an id. */
export function to18(value: string): string | undefined {
  const id15 = restore15(value);
  return id15 === undefined ? undefined : id15 + idChecksum(id15);
}

/** The key prefix (first three characters) of an id. */
export function keyPrefixOf(id: string): string {
  return id.slice(0, 3);
}

/**
 * Issues unique ids per key prefix. Ids look like real ones (`001` + `EM` + pod digit + counter in
 * base 62) and sort in creation order within a prefix, which keeps `ORDER BY Id` stable.
 */
export class IdFactory {
  #counters = new Map<string, number>();
  readonly #pod: string;

  constructor(pod = 'EM0') {
    if (!/^[a-zA-Z0-9]{3}$/.test(pod)) throw new Error(`pod must be 3 alphanumeric characters, got "${pod}"`);
    this.#pod = pod;
  }

  next(keyPrefix: string): string {
    if (!/^[a-zA-Z0-9]{3}$/.test(keyPrefix)) throw new Error(`invalid key prefix "${keyPrefix}"`);
    const n = (this.#counters.get(keyPrefix) ?? 0) + 1;
    this.#counters.set(keyPrefix, n);
    let digits = '';
    for (let rest = n; rest > 0; rest = Math.floor(rest / 62)) digits = BASE62[rest % 62] + digits;
    const id15 = keyPrefix + this.#pod + digits.padStart(9, '0');
    return id15 + idChecksum(id15);
  }
}
