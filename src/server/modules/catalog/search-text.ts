/**
 * Words for `GET /api/search`: how text becomes index terms, the caps on a query's words (its
 * length and paging are capped by the contract's schema), and the bounded edit distance behind
 * typo tolerance.
 */

/** Words after the first this many distinct ones are ignored. */
export const MAX_SEARCH_WORDS = 8;
/** Longer words are cut to this length, in the index and in queries alike. */
export const MAX_WORD_CHARS = 40;

const WORD = /[\p{L}\p{N}]+/gu;
const MARKS = /\p{M}+/gu;

/** Lower-cased words without accents ("Crème brûlée" → ["creme", "brulee"]), cut to MAX_WORD_CHARS. */
export function words(text: string): string[] {
  const folded = text.normalize('NFKD').replace(MARKS, '').toLowerCase();
  const out: string[] = [];
  for (const match of folded.matchAll(WORD)) out.push(match[0].slice(0, MAX_WORD_CHARS));
  return out;
}

/** The distinct words a query searches for, at most MAX_SEARCH_WORDS of them. */
export function queryWords(text: string): string[] {
  return [...new Set(words(text))].slice(0, MAX_SEARCH_WORDS);
}

/** How many typos a word may carry: one for 5+ letters, two for 9+ (API.md). */
export function allowedEdits(word: string): number {
  if (/\d/.test(word)) return 0; // numbers and codes are exact
  return word.length >= 9 ? 2 : word.length >= 5 ? 1 : 0;
}

/**
 * Optimal string alignment distance (insertions, deletions, substitutions, adjacent swaps) when it
 * is at most `max`, else `max + 1`; stops as soon as a row exceeds `max`.
 */
export function editDistanceWithin(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  let before = new Array<number>(n + 1).fill(0);
  let previous = Array.from({ length: n + 1 }, (_, j) => j);
  let current = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let d = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (
        i > 1 &&
        j > 1 &&
        a.charCodeAt(i - 1) === b.charCodeAt(j - 2) &&
        a.charCodeAt(i - 2) === b.charCodeAt(j - 1)
      ) {
        d = Math.min(d, before[j - 2] + 1);
      }
      current[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    [before, previous, current] = [previous, current, before];
  }
  return Math.min(previous[n], max + 1);
}
