import { describe, expect, it } from 'vitest';
import type { AdminProduct } from '../../../../contract/catalog.ts';
import { bodyOf, checkDraft, checkPicture, draftOf, emptyDraft, signedDelta } from './draft.ts';

const product = {
  id: 7,
  name: 'Blue mug',
  description: 'A mug',
  category: { id: 3, name: 'Kitchen', slug: 'kitchen' },
  priceCents: 1905,
  stock: 12,
} as AdminProduct;

describe('product drafts', () => {
  it('shows a product as form text, price in dollars with two decimals', () => {
    expect(draftOf(product)).toEqual({
      name: 'Blue mug',
      description: 'A mug',
      categoryId: '3',
      price: '19.05',
      stock: '12',
    });
  });

  it('names every missing or malformed field, stock only when creating', () => {
    const draft = { ...emptyDraft, price: '12.345', stock: '-1' };
    expect(Object.keys(checkDraft(draft, true)).sort()).toEqual([
      'categoryId',
      'description',
      'name',
      'priceCents',
      'stock',
    ]);
    expect(checkDraft(draft, false)).not.toHaveProperty('stock');
    expect(checkDraft(draftOf(product), true)).toEqual({});
    expect(checkDraft({ ...draftOf(product), price: '19' }, false)).toEqual({});
  });

  it('sends trimmed text and integer cents (no float drift)', () => {
    expect(bodyOf({ ...draftOf(product), name: '  Blue mug ', price: '0.29' })).toEqual({
      name: 'Blue mug',
      description: 'A mug',
      categoryId: 3,
      priceCents: 29,
    });
    expect(bodyOf({ ...draftOf(product), price: '19.99' }).priceCents).toBe(1999);
  });

  it('writes stock changes with a sign and a true minus', () => {
    expect(signedDelta(6)).toBe('+6');
    expect(signedDelta(-2)).toBe('−2');
  });

  it('accepts PNG, JPEG and WebP pictures up to 5 MB, before anything is created', () => {
    expect(checkPicture(null)).toEqual({});
    expect(checkPicture({ type: 'image/png', size: 5 * 1024 * 1024 })).toEqual({});
    expect(checkPicture({ type: 'image/gif', size: 10 }).file).toMatch(/PNG, JPEG or WebP/);
    expect(checkPicture({ type: 'image/webp', size: 5 * 1024 * 1024 + 1 }).file).toMatch(/5 MB/);
  });
});
