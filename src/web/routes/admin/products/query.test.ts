import { describe, expect, it } from 'vitest';
import { LOW_STOCK, PAGE_SIZE, queryFrom } from './query.ts';

const q = (search: string) => queryFrom(new URLSearchParams(search));

describe('console product query from the URL', () => {
  it('defaults to live products by name, first page', () => {
    expect(q('')).toEqual({
      q: undefined,
      category: undefined,
      archived: 'false',
      stockLt: undefined,
      sort: 'name',
      page: 1,
      pageSize: PAGE_SIZE,
    });
  });

  it('maps status and stock words to the API filters', () => {
    expect(q('status=archived').archived).toBe('true');
    expect(q('status=all').archived).toBeUndefined();
    expect(q('stock=low').stockLt).toBe(LOW_STOCK + 1);
    expect(q('stock=out').stockLt).toBe(1);
  });

  it('passes search, category, sort and page through; a bad page is page 1', () => {
    expect(q('q=mug&category=kitchen&sort=-price&page=3')).toMatchObject({
      q: 'mug',
      category: 'kitchen',
      sort: '-price',
      page: 3,
    });
    expect(q('page=abc').page).toBe(1);
  });
});
