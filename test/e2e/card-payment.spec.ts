import { expect } from '@playwright/test';
import { signUp, toast } from './fixtures.ts';
import { CARD_PRODUCT, test } from './stripe-shop.ts';

// Issue 14: a shopper pays by card on (the fake) Stripe's hosted page and comes back to a paid
// order, on a desktop and on a phone.

for (const size of [
  { width: 1280, height: 800 },
  { width: 375, height: 812 },
]) {
  test.describe(`card payment at ${size.width}x${size.height}`, () => {
    test.use({ viewport: size });

    test('checkout goes to the payment page; paying there brings the shopper back to a paid order', async ({
      page,
      stripeShop,
    }) => {
      await signUp(page.request);
      const listed = await (
        await page.request.get(`/api/products?q=${encodeURIComponent(CARD_PRODUCT.name)}`)
      ).json();
      const product = listed.items.find((p: { name: string }) => p.name === CARD_PRODUCT.name);
      const add = await page.request.post('/api/cart/items', {
        data: { productId: product.id, quantity: 2 },
      });
      expect(add.status(), await add.text()).toBe(200);

      await page.goto('/checkout');
      await page.getByLabel('Street and number (more lines allowed)').fill('9 Card Street');
      await page.getByLabel('Postal code').fill('49007');
      await page
        .getByTestId('order-summary')
        .getByRole('button', { name: /^Purchase/ })
        .click();

      // Stripe's page (the fake's), for the order's total; the shop never sees the card.
      await expect(page).toHaveURL(new RegExp(`^${stripeShop.stripe.url}/pay/cs_test_`));
      await expect(page.getByRole('heading', { name: 'Pay $63.00' })).toBeVisible();
      const [session] = [...stripeShop.stripe.sessions.values()].filter((s) => s.status === 'open');
      expect(session.amount_total).toBe(6300);
      expect(session.line_items).toEqual([{ quantity: 2, name: CARD_PRODUCT.name, unit_amount: 3150 }]);
      await page.getByRole('button', { name: 'Pay $63.00' }).click();

      // Back in the shop: the signed webhook arrived before the redirect, so the order is paid.
      await expect(page).toHaveURL(/\/orders$/);
      const thanks = toast(page, /Thank you! Your payment for order #\S+ is being confirmed\./);
      await expect(thanks.first()).toBeVisible();
      const order = page.getByTestId('closed-order').filter({ hasText: CARD_PRODUCT.name });
      await expect(order.getByTestId('payment-status')).toHaveText('Paid');
      // The orders have arrived and the URL is clean: the return was announced once, not per render.
      await expect(thanks).toHaveCount(1);
      await expect(order.getByTestId('fulfillment-status')).toHaveText('Not shipped yet');
      // Paid: no Pay link any more.
      await expect(order.getByRole('link', { name: /^Pay / })).toHaveCount(0);
      await order.getByText('History').click();
      await expect(order.getByTestId('order-timeline')).toContainText('Paid');
      await expect(order.getByTestId('order-timeline')).toContainText('by stripe');

      const orders = await (await page.request.get('/api/orders')).json();
      const paid = orders.find((o: { status: string }) => o.status === 'CLOSED');
      expect(paid).toMatchObject({ paymentStatus: 'paid', payment: { provider: 'stripe' } });
      expect(session.client_reference_id).toBe(String(paid.id));
      expect(stripeShop.stripe.sessions.get(session.id)?.status).toBe('complete');
      await page.screenshot({ path: `test-results/screenshots/card-paid-${size.width}.png` });
    });
  });
}
