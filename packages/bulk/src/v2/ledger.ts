/**
 * Matches a job's result rows to the rows uploaded, without keeping the uploaded rows.
 *
 * Salesforce does not promise result files in upload order, but every result row repeats the row's
 * original fields. So each uploaded row is remembered as a 64-bit fingerprint of its CSV text (8 bytes a
 * row, in typed arrays), and a result row is matched by re-encoding its original fields the same way.
 * Identical rows share a fingerprint; each claim takes the next unclaimed row of that fingerprint, so
 * duplicates are counted, never matched twice. (Identical rows are interchangeable: which of them gets
 * which outcome cannot be told apart by anyone.)
 */
export class RowLedger {
  #high = new Uint32Array(1024);
  #low = new Uint32Array(1024);
  #count = 0;
  /** Row numbers sorted by fingerprint, built on the first claim. */
  #sorted: Uint32Array | undefined;
  #claimed: Uint8Array | undefined;
  /** For each run of equal fingerprints (keyed by its first position in #sorted): how many are claimed. */
  readonly #taken = new Map<number, number>();
  #claimCount = 0;

  /** Rows recorded. */
  get count(): number {
    return this.#count;
  }

  /** Rows claimed so far. */
  get claimedCount(): number {
    return this.#claimCount;
  }

  /** Records the next uploaded row (its CSV text, without the line end); returns its row number. */
  add(rowText: string): number {
    if (this.#sorted !== undefined) throw new Error('RowLedger: rows cannot be added after claims began');
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
    const sorted = this.#sortedRows();
    const claimed = this.#claimed as Uint8Array;
    fingerprintInto(rowText, SCRATCH_HIGH, SCRATCH_LOW, 0);
    const high = SCRATCH_HIGH[0] as number;
    const low = SCRATCH_LOW[0] as number;
    // First position whose fingerprint is >= the wanted one.
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const row = sorted[mid] as number;
      const h = this.#high[row] as number;
      if (h < high || (h === high && (this.#low[row] as number) < low)) lo = mid + 1;
      else hi = mid;
    }
    if (lo >= sorted.length) return -1;
    const first = sorted[lo] as number;
    if (this.#high[first] !== high || this.#low[first] !== low) return -1;
    // Rows of the run claimed earlier (in order, or out of band by claimRow) are skipped.
    let at = lo + (this.#taken.get(lo) ?? 0);
    while (at < sorted.length) {
      const row = sorted[at] as number;
      if (this.#high[row] !== high || this.#low[row] !== low) break;
      at++;
      if (claimed[row] !== 1) {
        this.#taken.set(lo, at - lo);
        claimed[row] = 1;
        this.#claimCount++;
        return row;
      }
    }
    this.#taken.set(lo, at - lo);
    return -1;
  }

  /** Claims a row by its number (for results matched another way); false when it was already claimed. */
  claimRow(row: number): boolean {
    this.#sortedRows();
    const claimed = this.#claimed as Uint8Array;
    if (row < 0 || row >= this.#count || claimed[row] === 1) return false;
    claimed[row] = 1;
    this.#claimCount++;
    return true;
  }

  /** Row numbers not claimed, ascending. */
  unclaimed(): number[] {
    this.#sortedRows();
    const claimed = this.#claimed as Uint8Array;
    const out: number[] = [];
    for (let row = 0; row < this.#count; row++) if (claimed[row] !== 1) out.push(row);
    return out;
  }

  #sortedRows(): Uint32Array {
    if (this.#sorted !== undefined) return this.#sorted;
    const count = this.#count;
    const high = this.#high;
    const low = this.#low;
    const sorted = new Uint32Array(count);
    for (let i = 0; i < count; i++) sorted[i] = i;
    // Equal fingerprints stay in upload order (row number breaks ties), so duplicates are claimed in order.
    sorted.sort(
      (a, b) => (high[a] as number) - (high[b] as number) || (low[a] as number) - (low[b] as number) || a - b,
    );
    this.#sorted = sorted;
    this.#claimed = new Uint8Array(count);
    return sorted;
  }
}

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
