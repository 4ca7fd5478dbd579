/** Word-level text helpers for the offline engine: tokens, plural folding, typo-tolerant matching. */

const IRREGULAR: Record<string, string> = {
  children: 'child',
  men: 'man',
  women: 'woman',
  feet: 'foot',
  teeth: 'tooth',
  mice: 'mouse',
  knives: 'knife',
  shelves: 'shelf',
  leaves: 'leaf',
};

/** Lower-case words of letters and digits; apostrophes dropped ("men's" → "mens"). */
export function words(text: string): string[] {
  return (
    text
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/['’]/g, '')
      .match(/[a-z0-9]+/g) ?? []
  );
}

/** Folds plurals and possessives to one form: "batteries" → "battery", "boxes" → "box". */
export function stem(word: string): string {
  if (IRREGULAR[word]) return IRREGULAR[word];
  if (word.length <= 3 || /\d/.test(word)) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(ches|shes|sses|xes|zes)$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('ss') || word.endsWith('us') || word.endsWith('is')) return word;
  if (word.endsWith('s')) return word.slice(0, -1);
  return word;
}

export function stems(text: string): string[] {
  return words(text).map(stem);
}

/** Levenshtein distance, giving up (returning max + 1) once it exceeds `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let before: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      // adjacent transposition ("haedphones")
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, before[j - 2] + 1);
      cur.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return max + 1;
    before = prev;
    prev = cur;
  }
  return prev[b.length];
}

/** Typos allowed for a word of this length: none for short words, one up to 6 letters, then two. */
export function typoBudget(length: number): number {
  if (length <= 3) return 0;
  if (length <= 6) return 1;
  return 2;
}

/** 1 for the same stem, a little less for a typo, 0 otherwise. */
export function wordSimilarity(query: string, target: string): number {
  if (query === target) return 1;
  const budget = Math.min(typoBudget(query.length), typoBudget(target.length));
  if (budget === 0) return 0;
  const d = editDistance(query, target, budget);
  return d <= budget ? 1 - 0.15 * d : 0;
}

/** The best similarity of `word` against any of `targets`. */
export function bestSimilarity(word: string, targets: readonly string[]): number {
  let best = 0;
  for (const t of targets) {
    const s = wordSimilarity(word, t);
    if (s > best) best = s;
    if (best === 1) break;
  }
  return best;
}

const USD = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

/** "$1,299.00": how the shop shows prices. */
export function formatCents(cents: number): string {
  return USD.format(cents / 100);
}

const NUMBER_WORDS: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  couple: 2,
  pair: 2,
};

/** "3", "three", "a" → a number; null otherwise. */
export function parseCount(word: string): number | null {
  if (/^\d{1,4}$/.test(word)) return Number(word);
  return NUMBER_WORDS[word] ?? null;
}
