/**
 * Relevance order for `GET /api/products?q=` without `sort` (API.md): a product matches when its
 * name contains any term; the best term decides its tier — exact name, then a name starting with
 * the term, then a word starting with it, then any other substring — and ties go by name, then id.
 *
 * Works over names already in name order (the listing's `name` view), so "ties by name" is simply
 * position order. Per term it keeps the matching positions of each tier (built once per term and
 * view, in one pass over the names) and a bitset of all its matches, so a page costs a merge of a
 * few short list heads and the number of matches an OR over the terms' bitsets: neither walks all
 * the matches of a common term, whichever combination of terms a shopper types.
 */

export const TIERS = 4;

/** The tier of one name for one term (both lower-cased), or -1 when the name does not contain it. */
export function tierOf(nameKey: string, term: string): number {
  const at = nameKey.indexOf(term);
  if (at < 0) return -1;
  if (at === 0) return nameKey.length === term.length ? 0 : 1;
  for (let from = at; from >= 0; from = nameKey.indexOf(term, from + 1)) {
    if (!isWordChar(nameKey.charCodeAt(from - 1))) return 2;
  }
  return 3;
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

function isWordChar(code: number): boolean {
  if (code < 128) {
    return (code >= 48 && code <= 57) || (code >= 97 && code <= 122) || (code >= 65 && code <= 90);
  }
  return WORD_CHAR.test(String.fromCharCode(code));
}

interface TermMatches {
  /** tier + 1 per position, 0 when the name does not contain the term. */
  rank: Uint8Array;
  /** Matching positions per tier, ascending. */
  lists: Int32Array[];
  /** Bit `p` set when position `p` matches: for counting a union of terms word by word. */
  bits: Uint32Array;
}

/** Set bits in a 32-bit word. */
function popcount(word: number): number {
  let v = word - ((word >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Accepts a position, or not (the listing's price/stock bounds). */
export type Accept = ((position: number) => boolean) | null;

export class NameRelevance {
  readonly #names: readonly string[];
  readonly #find: (term: string) => Uint8Array;
  #terms = new Map<string, TermMatches>();
  #totals = new Map<string, number>();
  readonly #maxTerms: number;

  /**
   * @param names lower-cased names in name order
   * @param find which positions contain a term (the view's one-pass search over all names)
   */
  constructor(names: readonly string[], find: (term: string) => Uint8Array) {
    this.#names = names;
    this.#find = find;
    // Bounded memory: about 64 MB of per-term arrays whatever the catalog's size.
    this.#maxTerms = Math.max(16, Math.min(512, Math.floor(64_000_000 / Math.max(1, names.length * 2))));
  }

  /** Filtered counts depend on stock, which changes in place: forget them. */
  forgetTotals(): void {
    this.#totals.clear();
  }

  #matches(term: string): TermMatches {
    let m = this.#terms.get(term);
    if (m) {
      // Most recently used last, so the first key is the one to evict.
      this.#terms.delete(term);
      this.#terms.set(term, m);
      return m;
    }
    const hits = this.#find(term);
    const rank = new Uint8Array(this.#names.length);
    const bits = new Uint32Array((this.#names.length + 31) >>> 5);
    const buckets: number[][] = Array.from({ length: TIERS }, () => []);
    for (let i = 0; i < hits.length; i++) {
      if (hits[i] === 0) continue;
      const tier = tierOf(this.#names[i], term);
      rank[i] = tier + 1;
      bits[i >>> 5] |= 1 << (i & 31);
      buckets[tier].push(i);
    }
    m = { rank, lists: buckets.map((b) => Int32Array.from(b)), bits };
    if (this.#terms.size >= this.#maxTerms) this.#terms.delete(this.#terms.keys().next().value as string);
    this.#terms.set(term, m);
    return m;
  }

  /**
   * Positions `start … start + size` in relevance order among the names matching any term and
   * accepted by `accept`, and how many there are. `acceptKey` names the filter for the count cache.
   */
  page(
    terms: readonly string[],
    accept: Accept,
    acceptKey: string,
    start: number,
    size: number,
  ): { positions: number[]; total: number } {
    const matches = terms.map((t) => this.#matches(t));
    // A position's tier for the query is its best over the terms.
    const bestTier = (p: number) => {
      let best = TIERS + 1;
      for (const m of matches) if (m.rank[p] !== 0 && m.rank[p] < best) best = m.rank[p];
      return best - 1;
    };
    const key = `${[...terms].sort().join('\u0000')}\u0001${acceptKey}`;
    let total = this.#totals.get(key);
    if (total === undefined) {
      total = countUnion(matches, accept);
      if (this.#totals.size >= 4_096) this.#totals.clear();
      this.#totals.set(key, total);
    }
    const positions: number[] = [];
    let seen = 0;
    for (let tier = 0; tier < TIERS && positions.length < size; tier++) {
      const heads = matches.map(() => 0);
      while (positions.length < size) {
        // The smallest head position across the terms' lists of this tier.
        let next = -1;
        for (let k = 0; k < matches.length; k++) {
          const list = matches[k].lists[tier];
          if (heads[k] < list.length && (next < 0 || list[heads[k]] < next)) next = list[heads[k]];
        }
        if (next < 0) break;
        for (let k = 0; k < matches.length; k++) {
          const list = matches[k].lists[tier];
          if (heads[k] < list.length && list[heads[k]] === next) heads[k]++;
        }
        if (bestTier(next) !== tier || (accept && !accept(next))) continue;
        if (seen >= start) positions.push(next);
        seen++;
      }
    }
    return { positions, total };
  }
}

/** How many positions match any of the terms and are accepted: an OR of bitsets, word by word. */
function countUnion(matches: readonly TermMatches[], accept: Accept): number {
  const words = matches[0]?.bits.length ?? 0;
  let total = 0;
  for (let w = 0; w < words; w++) {
    let union = 0;
    for (const m of matches) union |= m.bits[w];
    if (union === 0) continue;
    if (!accept) {
      total += popcount(union);
      continue;
    }
    for (let bit = 0; bit < 32; bit++) if (union & (1 << bit) && accept((w << 5) | bit)) total++;
  }
  return total;
}
