import { allowedEdits, editDistanceWithin, queryWords, words } from './search-text.ts';

/**
 * The in-memory inverted index behind `GET /api/search`: words of a product's name, category and
 * description, ranked BM25F-style (name weighted over category over description), with typo
 * tolerance for words the catalog does not contain. See docs/decisions/121-catalog-search-index.md.
 *
 * Postings are built compact (one typed array for all of them) and changes are applied on top:
 * a changed product's old slot is marked dead and the product gets a new slot whose postings go to
 * small per-word lists, until enough has changed that the owner rebuilds (`needsRebuild`).
 */

export interface SearchDoc {
  id: number;
  name: string;
  description: string;
  category: string;
}

export interface SearchHits {
  ids: number[];
  total: number;
  /** The query with its corrected words, when a word was corrected. */
  didYouMean?: string;
}

const FIELDS = [
  { of: (d: SearchDoc) => d.name, weight: 3 },
  { of: (d: SearchDoc) => d.category, weight: 2 },
  { of: (d: SearchDoc) => d.description, weight: 1 },
] as const;
const K1 = 1.2;
const B = 0.75;

/** The words of each field of a document. */
const fieldWords = (doc: SearchDoc) => FIELDS.map((field) => words(field.of(doc)));

/** Each word of a document with its length-normalized, field-weighted frequency. */
function weighedWords(fields: string[][], averages: readonly number[]): Map<string, number> {
  const out = new Map<string, number>();
  for (let f = 0; f < FIELDS.length; f++) {
    const ws = fields[f];
    const norm = 1 - B + (B * ws.length) / Math.max(1, averages[f]);
    for (const w of ws) out.set(w, (out.get(w) ?? 0) + FIELDS[f].weight / norm);
  }
  return out;
}

export class SearchIndex {
  /** word → term number */
  readonly #terms = new Map<string, number>();
  readonly #df: number[] = [];
  /** Compact postings of the terms known at build time: term t's are offsets[t] … offsets[t+1]. */
  #offsets = new Int32Array(1);
  #slots = new Int32Array(0);
  #weights = new Float32Array(0);
  /** Postings added since the build, by term. */
  readonly #added = new Map<number, { slots: number[]; weights: number[] }>();
  /** slot → product id; the live slot of each product. */
  readonly #ids: number[] = [];
  readonly #slotOf = new Map<number, number>();
  readonly #dead = new Set<number>();
  #builtSlots = 0;
  #averages: number[] = [1, 1, 1];
  /** Words without digits by length, for typo correction. */
  readonly #byLength = new Map<number, string[]>();
  readonly #corrections = new Map<string, string | null>();
  #scores = new Float64Array(0);
  /** The slots one ranking scored, reused from ranking to ranking. */
  #touched = new Int32Array(0);
  /** Recent rankings by terms and depth; any change to the index empties it. */
  readonly #recent = new Map<string, { top: number[]; total: number }>();

  static build(docs: Iterable<SearchDoc>): SearchIndex {
    const index = new SearchIndex();
    const all = [...docs];
    const tokenized = all.map(fieldWords);
    const totals = FIELDS.map((_, f) => tokenized.reduce((sum, fields) => sum + fields[f].length, 0));
    index.#averages = totals.map((t) => t / Math.max(1, all.length));
    // Two passes: count postings per term, then fill them in place.
    const perDoc = tokenized.map((fields) => weighedWords(fields, index.#averages));
    tokenized.length = 0;
    const counts: number[] = [];
    for (const ww of perDoc) {
      for (const w of ww.keys()) {
        const t = index.#termOf(w);
        counts[t] = (counts[t] ?? 0) + 1;
      }
    }
    const offsets = new Int32Array(counts.length + 1);
    for (let t = 0; t < counts.length; t++) offsets[t + 1] = offsets[t] + counts[t];
    const fill = offsets.slice(0, counts.length);
    const slots = new Int32Array(offsets[counts.length]);
    const weights = new Float32Array(offsets[counts.length]);
    perDoc.forEach((ww, slot) => {
      index.#ids.push(all[slot].id);
      index.#slotOf.set(all[slot].id, slot);
      for (const [w, weight] of ww) {
        const t = index.#terms.get(w) as number;
        slots[fill[t]] = slot;
        weights[fill[t]++] = weight;
        index.#df[t] = (index.#df[t] ?? 0) + 1;
      }
    });
    index.#offsets = offsets;
    index.#slots = slots;
    index.#weights = weights;
    index.#builtSlots = all.length;
    return index;
  }

  get size(): number {
    return this.#slotOf.size;
  }

  /** True once changes outweigh a fifth of the built index: the owner should build it again. */
  get needsRebuild(): boolean {
    const changed = this.#dead.size + (this.#ids.length - this.#builtSlots);
    return changed > 1_000 && changed > this.#builtSlots / 5;
  }

  #termOf(w: string): number {
    let t = this.#terms.get(w);
    if (t === undefined) {
      t = this.#terms.size;
      this.#terms.set(w, t);
      this.#df[t] = 0;
      if (!/\d/.test(w) && w.length >= 3) {
        const bucket = this.#byLength.get(w.length);
        if (bucket) bucket.push(w);
        else this.#byLength.set(w.length, [w]);
      }
    }
    return t;
  }

  /** A new or changed product; `previous` is what was indexed for it (needed to undo its counts). */
  upsert(doc: SearchDoc, previous?: SearchDoc): void {
    if (previous) this.remove(previous);
    const slot = this.#ids.length;
    this.#ids.push(doc.id);
    this.#slotOf.set(doc.id, slot);
    for (const [w, weight] of weighedWords(fieldWords(doc), this.#averages)) {
      const t = this.#termOf(w);
      this.#df[t]++;
      let list = this.#added.get(t);
      if (!list) {
        list = { slots: [], weights: [] };
        this.#added.set(t, list);
      }
      list.slots.push(slot);
      list.weights.push(weight);
    }
    this.#corrections.clear();
    this.#recent.clear();
  }

  /** A product left the shop (deleted or archived), as it was indexed. */
  remove(doc: SearchDoc): void {
    const slot = this.#slotOf.get(doc.id);
    if (slot === undefined) return;
    this.#slotOf.delete(doc.id);
    this.#dead.add(slot);
    for (const w of new Set(fieldWords(doc).flat())) {
      const t = this.#terms.get(w);
      if (t !== undefined) this.#df[t]--;
    }
    this.#corrections.clear();
    this.#recent.clear();
  }

  /** The closest known word within the allowed edits (fewest edits, then most products), or null. */
  #correct(word: string): string | null {
    const cached = this.#corrections.get(word);
    if (cached !== undefined) return cached;
    const max = allowedEdits(word);
    let best: string | null = null;
    let bestDistance = max + 1;
    let bestDf = 0;
    for (let length = word.length - max; length <= word.length + max; length++) {
      for (const candidate of this.#byLength.get(length) ?? []) {
        const df = this.#df[this.#terms.get(candidate) as number];
        if (df <= 0) continue;
        const d = editDistanceWithin(word, candidate, Math.min(max, bestDistance));
        if (d < bestDistance || (d === bestDistance && d <= max && df > bestDf)) {
          best = candidate;
          bestDistance = d;
          bestDf = df;
        }
      }
    }
    if (this.#corrections.size >= 10_000) this.#corrections.clear();
    this.#corrections.set(word, best);
    return best;
  }

  /** Ranked product ids `start … start + size` for free text, and how many products match. */
  search(text: string, start: number, size: number): SearchHits {
    const asked = queryWords(text);
    const used: string[] = [];
    let corrected = false;
    const shown = asked.map((w) => {
      const t = this.#terms.get(w);
      if (t !== undefined && this.#df[t] > 0) {
        used.push(w);
        return w;
      }
      const fix = allowedEdits(w) > 0 ? this.#correct(w) : null;
      if (fix === null) return w;
      corrected = true;
      used.push(fix);
      return fix;
    });
    const ranked = this.#rankRecent([...new Set(used)].sort(), start + size);
    return {
      ids: ranked.top.slice(start, start + size).map((slot) => this.#ids[slot]),
      total: ranked.total,
      ...(corrected ? { didYouMean: shown.join(' ') } : {}),
    };
  }

  /**
   * Common words match most of the catalog, and ranking them costs a pass over all their postings:
   * the last 1,000 rankings are kept (pages of one query share one, ranked to a rounded-up depth).
   */
  #rankRecent(terms: string[], depth: number): { top: number[]; total: number } {
    const rounded = Math.min(1_000, Math.max(48, 2 ** Math.ceil(Math.log2(depth))));
    const key = `${rounded}\u0000${terms.join('\u0000')}`;
    let ranked = this.#recent.get(key);
    if (!ranked) {
      ranked = this.#rank(terms, rounded);
      if (this.#recent.size >= 1_000) this.#recent.delete(this.#recent.keys().next().value as string);
      this.#recent.set(key, ranked);
    }
    return ranked;
  }

  /** BM25 over the terms; the `depth` best slots (score, then lower product id) and the match count. */
  #rank(terms: string[], depth: number): { top: number[]; total: number } {
    if (this.#scores.length < this.#ids.length) {
      this.#scores = new Float64Array(this.#ids.length * 1.25 + 16);
      this.#touched = new Int32Array(this.#scores.length);
    }
    const scores = this.#scores;
    // Common words have a posting in much of the catalog: this loop is the cost of a search, so it
    // touches typed arrays only (and the dead slots only when there are any).
    const touchedSlots = this.#touched;
    let touchedCount = 0;
    const dead = this.#dead.size > 0 ? this.#dead : null;
    const n = this.#slotOf.size;
    const score = (slot: number, weight: number, idf: number) => {
      if (dead?.has(slot)) return;
      if (scores[slot] === 0) touchedSlots[touchedCount++] = slot;
      scores[slot] += (idf * (weight * (K1 + 1))) / (weight + K1);
    };
    for (const w of terms) {
      const t = this.#terms.get(w) as number;
      const df = this.#df[t];
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      if (t < this.#offsets.length - 1) {
        const slots = this.#slots;
        const weights = this.#weights;
        for (let i = this.#offsets[t]; i < this.#offsets[t + 1]; i++) score(slots[i], weights[i], idf);
      }
      const added = this.#added.get(t);
      if (added) for (let i = 0; i < added.slots.length; i++) score(added.slots[i], added.weights[i], idf);
    }
    const touched = touchedSlots.subarray(0, touchedCount);
    const ids = this.#ids;
    const better = (a: number, b: number) =>
      scores[a] > scores[b] || (scores[a] === scores[b] && ids[a] < ids[b]);
    // A bounded selection keeps a common word's thousands of matches from being sorted in full.
    const top: number[] = [];
    for (let k = 0; k < touched.length; k++) {
      const slot = touched[k];
      if (top.length < depth) top.push(slot);
      else if (better(slot, top[top.length - 1])) top[top.length - 1] = slot;
      else continue;
      for (let i = top.length - 1; i > 0 && better(top[i], top[i - 1]); i--) {
        [top[i], top[i - 1]] = [top[i - 1], top[i]];
      }
    }
    for (let k = 0; k < touched.length; k++) scores[touched[k]] = 0;
    return { top, total: touched.length };
  }
}
