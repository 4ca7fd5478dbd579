/** Price bounds a shopper states in words ("under $50", "between 20 and 40 dollars"), in cents. Pure. */

export interface PriceRange {
  /** Inclusive lower bound in cents. */
  min?: number;
  /** Inclusive upper bound in cents. */
  max?: number;
}

const AMOUNT = String.raw`\$?\s?(\d+(?:[.,]\d{1,2})?)\s?(?:dollars|usd|bucks|\$)?`;

function cents(amount: string): number {
  return Math.round(Number(amount.replace(',', '.')) * 100);
}

export function priceRangeIn(text: string): PriceRange | null {
  const t = text.toLowerCase();
  const between = t.match(new RegExp(`(?:between|from)\\s+${AMOUNT}\\s+(?:and|to|-)\\s+${AMOUNT}`));
  if (between) return { min: cents(between[1]), max: cents(between[2]) };
  const dash = t.match(/\$(\d+(?:\.\d{1,2})?)\s?(?:-|–|to)\s?\$?(\d+(?:\.\d{1,2})?)/);
  if (dash) return { min: cents(dash[1]), max: cents(dash[2]) };
  const range: PriceRange = {};
  const max = t.match(
    new RegExp(
      `(?:under|below|less than|cheaper than|up to|at most|max(?:imum)?|within|no more than)\\s+${AMOUNT}`,
    ),
  );
  if (max) range.max = cents(max[1]);
  // "no more than $20" is an upper bound only.
  const min = t.match(
    new RegExp(`(?:over|above|(?<!no )more than|at least|min(?:imum)?|pricier than)\\s+${AMOUNT}`),
  );
  if (min) range.min = cents(min[1]);
  return range.min !== undefined || range.max !== undefined ? range : null;
}

export function inRange(priceCents: number, range: PriceRange): boolean {
  return (
    (range.min === undefined || priceCents >= range.min) &&
    (range.max === undefined || priceCents <= range.max)
  );
}
