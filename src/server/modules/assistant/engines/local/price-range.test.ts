import { describe, expect, it } from 'vitest';
import { inRange, priceRangeIn } from './price-range.ts';

describe('price ranges in words', () => {
  it('reads upper bounds', () => {
    expect(priceRangeIn('headphones under $100')).toEqual({ max: 10_000 });
    expect(priceRangeIn('anything below 25 dollars')).toEqual({ max: 2_500 });
    expect(priceRangeIn('no more than $19.99 please')).toEqual({ max: 1_999 });
    expect(priceRangeIn('cheaper than $40')).toEqual({ max: 4_000 });
  });

  it('reads lower bounds and both ends', () => {
    expect(priceRangeIn('over $200')).toEqual({ min: 20_000 });
    expect(priceRangeIn('at least 15 bucks and under $30')).toEqual({ min: 1_500, max: 3_000 });
    expect(priceRangeIn('books between $20 and $150')).toEqual({ min: 2_000, max: 15_000 });
    expect(priceRangeIn('from 10 to 20 usd')).toEqual({ min: 1_000, max: 2_000 });
    expect(priceRangeIn('$15-$40')).toEqual({ min: 1_500, max: 4_000 });
    expect(priceRangeIn('under 12,50')).toEqual({ max: 1_250 });
  });

  it('finds nothing where no amount is given', () => {
    expect(priceRangeIn('cheaper than the Aurora headphones')).toBeNull();
    expect(priceRangeIn('what is the cheapest book?')).toBeNull();
    expect(priceRangeIn('')).toBeNull();
  });

  it('treats bounds as inclusive', () => {
    expect(inRange(3_000, { max: 3_000 })).toBe(true);
    expect(inRange(3_001, { max: 3_000 })).toBe(false);
    expect(inRange(1_999, { min: 2_000, max: 4_000 })).toBe(false);
    expect(inRange(5, {})).toBe(true);
  });
});
