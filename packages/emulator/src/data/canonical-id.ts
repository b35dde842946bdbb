import { idChecksum, to18 } from '../ids.js';

const CANONICAL_18 = /^[a-zA-Z0-9]{15}[A-Z0-5]{3}$/;

/**
 * The canonical 18-character form of an id, or undefined when the value is not an id: `to18`, with a
 * shortcut for the id already in canonical form (what clients send back almost always), whose suffix
 * is the checksum of its first fifteen characters as they stand. DML resolves an id per updated or
 * deleted row, and the general case re-cases the id character by character.
 */
export function canonicalId(value: string): string | undefined {
  if (value.length === 18 && CANONICAL_18.test(value) && idChecksum(value.slice(0, 15)) === value.slice(15)) {
    return value;
  }
  return to18(value);
}
