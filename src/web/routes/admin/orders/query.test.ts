import { describe, expect, it } from 'vitest';
import { orderQueryFrom, PAGE_SIZE } from './query.ts';

const q = (search: string) => orderQueryFrom(new URLSearchParams(search));

describe('console order query from the URL', () => {
  it('defaults to every order, first page', () => {
    expect(q('')).toEqual({
      status: undefined,
      paymentStatus: undefined,
      fulfillmentStatus: undefined,
      from: undefined,
      to: undefined,
      q: undefined,
      page: 1,
      pageSize: PAGE_SIZE,
    });
  });

  it('passes every payment and fulfilment status the API knows', () => {
    for (const paymentStatus of ['awaiting', 'paid', 'refunded', 'failed'])
      expect(q(`paymentStatus=${paymentStatus}`).paymentStatus).toBe(paymentStatus);
    for (const fulfillmentStatus of ['unfulfilled', 'shipped', 'delivered', 'cancelled'])
      expect(q(`fulfillmentStatus=${fulfillmentStatus}`).fulfillmentStatus).toBe(fulfillmentStatus);
  });

  it('drops words the API would refuse instead of answering 422', () => {
    expect(q('status=bogus&paymentStatus=PAID&fulfillmentStatus=lost')).toMatchObject({
      status: undefined,
      paymentStatus: undefined,
      fulfillmentStatus: undefined,
    });
  });

  it('passes status, dates, customer and page through; a bad page is page 1', () => {
    expect(q('status=CLOSED&from=2026-01-01&to=2026-01-31&q=ada&page=2')).toMatchObject({
      status: 'CLOSED',
      from: '2026-01-01',
      to: '2026-01-31',
      q: 'ada',
      page: 2,
    });
    expect(q('page=abc').page).toBe(1);
  });
});
