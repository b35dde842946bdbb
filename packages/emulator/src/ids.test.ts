import { describe, expect, it } from 'vitest';
import { IdFactory, idChecksum, isId, keyPrefixOf, to18 } from './ids.js';

describe('ids', () => {
  it('computes the checksum of known real ids', () => {
    // Real pairs from fixtures: 15-char prefix + suffix.
    expect(idChecksum('001D000000IqhSL')).toBe('IAZ');
    expect(idChecksum('0016g00000Wqu1E')).toBe('AAR');
    expect(idChecksum('003RO0000035WQg')).toBe('YAM');
  });

  it('accepts 15 and 18 character ids and rejects a wrong checksum', () => {
    expect(isId('001D000000IqhSL')).toBe(true);
    expect(isId('001D000000IqhSLIAZ')).toBe(true);
    expect(isId('001D000000IqhSLiaz')).toBe(true);
    expect(isId('001d000000iqhsliaz')).toBe(true);
    // A suffix that marks a digit as upper case is no checksum at all.
    expect(isId('001D000000IqhSLBAZ')).toBe(false);
    expect(isId('23foo')).toBe(false);
    expect(isId('001D000000IqhS!')).toBe(false);
  });

  it('converts to the 18 character form', () => {
    expect(to18('001D000000IqhSL')).toBe('001D000000IqhSLIAZ');
    expect(to18('001D000000IqhSLiaz')).toBe('001D000000IqhSLIAZ');
    expect(to18('001d000000iqhsliaz')).toBe('001D000000IqhSLIAZ');
    expect(to18('nope')).toBeUndefined();
  });

  it('issues unique valid ids with the key prefix, in creation order', () => {
    const ids = new IdFactory();
    const issued = Array.from({ length: 5000 }, () => ids.next('001'));
    expect(new Set(issued).size).toBe(5000);
    for (const id of issued) {
      expect(id).toHaveLength(18);
      expect(isId(id)).toBe(true);
      expect(keyPrefixOf(id)).toBe('001');
    }
    expect([...issued].sort()).toEqual(issued);
    expect(ids.next('003').startsWith('003')).toBe(true);
  });
});
