/**
 * Matches a job's result rows to the rows uploaded, without keeping the uploaded rows.
 *
 * Salesforce does not promise result files in upload order, but every result row repeats the row's
 * original fields. So each uploaded row is remembered as a 64-bit fingerprint of its CSV text (8 bytes a
 * row, in typed arrays), and a result row is matched by re-encoding its original fields the same way
 * and looking the fingerprint up in a hash table (built once, in linear time, on the first claim).
 * Identical rows share a fingerprint; each claim takes the next unclaimed row of that fingerprint in
 * upload order, so duplicates are counted, never matched twice. (Identical rows are interchangeable: which of them gets
 * which outcome cannot be told apart by anyone.)
 */
export class RowLedger {
  #high = new Uint32Array(1024);
  #low = new Uint32Array(1024);
  #count = 0;
  /**
   * Built on the first claim: an open-addressing table of fingerprints. Each slot holds the next
   * unclaimed row of one fingerprint (-1: none left; -2: empty slot); `#next` chains the rows sharing
   * a fingerprint in upload order.
   */
  #slots: Int32Array | undefined;
  /** The first row of each slot's fingerprint (what lookups compare against), beside the moving cursor. */
  #heads: Int32Array | undefined;
  #next: Int32Array | undefined;
  #claimed: Uint8Array | undefined;
  #claimCount = 0;

  /** Rows recorded. */
  get count(): number {
    return this.#count;
  }

  /** Rows claimed so far. */
  get claimedCount(): number {
    return this.#claimCount;
  }

  /** Records the next uploaded row (its CSV text); returns its row number. */
  add(rowText: string): number {
    if (this.#slots !== undefined) throw new Error('RowLedger: rows cannot be added after claims began');
    if (this.#count === this.#high.length) {
      const high = new Uint32Array(this.#count * 2);
      const low = new Uint32Array(this.#count * 2);
      high.set(this.#high);
      low.set(this.#low);
      this.#high = high;
      this.#low = low;
    }
    const at = this.#count++;
    fingerprintInto(rowText, this.#high, this.#low, at);
    return at;
  }

  /** Claims the uploaded row a result row stands for; returns its row number, or -1 when none is left. */
  claim(rowText: string): number {
    const slots = this.#table();
    fingerprintInto(rowText, SCRATCH_HIGH, SCRATCH_LOW, 0);
    const slot = this.#find(SCRATCH_HIGH[0] as number, SCRATCH_LOW[0] as number);
    if (slot < 0) return -1;
    const next = this.#next as Int32Array;
    const claimed = this.#claimed as Uint8Array;
    // Rows of the chain claimed out of band (claimRow) are skipped.
    let row = slots[slot] as number;
    while (row >= 0 && claimed[row] === 1) row = next[row] as number;
    if (row < 0) {
      slots[slot] = -1;
      return -1;
    }
    claimed[row] = 1;
    slots[slot] = next[row] as number;
    this.#claimCount++;
    return row;
  }

  /** Claims a row by its number (for results matched another way); false when it was already claimed. */
  claimRow(row: number): boolean {
    this.#table();
    const claimed = this.#claimed as Uint8Array;
    if (row < 0 || row >= this.#count || claimed[row] === 1) return false;
    claimed[row] = 1;
    this.#claimCount++;
    return true;
  }

  /** Row numbers not claimed, ascending. */
  unclaimed(): number[] {
    this.#table();
    const claimed = this.#claimed as Uint8Array;
    const out: number[] = [];
    for (let row = 0; row < this.#count; row++) if (claimed[row] !== 1) out.push(row);
    return out;
  }

  /** The slot of a fingerprint, or -1 when no uploaded row has it. */
  #find(high: number, low: number): number {
    const slots = this.#slots as Int32Array;
    const heads = this.#heads as Int32Array;
    const mask = slots.length - 1;
    for (let i = (high ^ Math.imul(low, 0x9e3779b1)) & mask; ; i = (i + 1) & mask) {
      const head = heads[i] as number;
      if (head === EMPTY) return -1;
      if (this.#high[head] === high && this.#low[head] === low) return i;
    }
  }

  #table(): Int32Array {
    if (this.#slots !== undefined) return this.#slots;
    const count = this.#count;
    let capacity = 16;
    while (capacity < count * 2) capacity *= 2;
    const mask = capacity - 1;
    const heads = new Int32Array(capacity).fill(EMPTY);
    const slots = new Int32Array(capacity).fill(EMPTY);
    const tails = new Int32Array(capacity);
    const next = new Int32Array(count).fill(-1);
    const high = this.#high;
    const low = this.#low;
    for (let row = 0; row < count; row++) {
      const h = high[row] as number;
      const l = low[row] as number;
      let i = (h ^ Math.imul(l, 0x9e3779b1)) & mask;
      for (;;) {
        const head = heads[i] as number;
        if (head === EMPTY) {
          heads[i] = row;
          slots[i] = row;
          tails[i] = row;
          break;
        }
        if (high[head] === h && low[head] === l) {
          next[tails[i] as number] = row;
          tails[i] = row;
          break;
        }
        i = (i + 1) & mask;
      }
    }
    this.#heads = heads;
    this.#next = next;
    this.#claimed = new Uint8Array(count);
    this.#slots = slots;
    return slots;
  }
}

/** A slot no fingerprint uses. */
const EMPTY = -2;

const SCRATCH_HIGH = new Uint32Array(1);
const SCRATCH_LOW = new Uint32Array(1);

/**
 * Two independent 32-bit hashes of the text (FNV-1a and a multiply-rotate hash), together 64 bits: the
 * chance that two different rows of a million-row job share one is about 3 in 100 million.
 */
function fingerprintInto(text: string, high: Uint32Array, low: Uint32Array, at: number): void {
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  h1 ^= h1 >>> 16;
  h1 = Math.imul(h1, 0x85ebca6b);
  h1 ^= h1 >>> 13;
  h2 = Math.imul(h2 ^ (h2 >>> 16), 0xc2b2ae35);
  h2 ^= h2 >>> 16;
  high[at] = h1 >>> 0;
  low[at] = h2 >>> 0;
}
