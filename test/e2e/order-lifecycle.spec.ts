import { expect, type Page, request as playwrightRequest, test } from '@playwright/test';
import { expectNoSeriousA11yViolations, newUser, signUp, toast } from './fixtures.ts';
import { ownProduct, placeOrder, signInAsAdmin, stockOf } from './order-setup.ts';

// Issue 14: after checkout. The console ships and lists orders (at 1280x800); the shopper follows
// and cancels them in the order history (at 1280x800 and on a 375x812 phone).

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 375, height: 812 };

const historyEntry = (page: Page, number: string) =>
  page.getByTestId('closed-order').filter({ has: page.getByRole('heading', { name: `Order #${number}` }) });

async function fitsTheScreen(page: Page) {
  const [scrollWidth, innerWidth] = await page.evaluate(() => [
    document.documentElement.scrollWidth,
    window.innerWidth,
  ]);
  expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
}

test.describe('order fulfilment in the console', () => {
  test.use({ viewport: DESKTOP });

  test('an admin ships an order with carrier and tracking; the shopper sees it shipped', async ({
    page,
    browser,
    baseURL,
  }) => {
    // Two pages, an axe run and the shopper's history at two sizes: slow on a busy machine.
    test.setTimeout(90_000);
    await signInAsAdmin(page.request);
    const product = await ownProduct(page.request, 'Lifecycle Shipped Kettle', 5);
    const shopperContext = await browser.newContext({ baseURL, viewport: DESKTOP });
    const shopper = await shopperContext.newPage();
    const user = await signUp(shopper.request);
    const order = await placeOrder(shopper.request, product.id, 1);

    await page.goto(`/admin/orders/${order.id}`);
    const detail = page.getByTestId('admin-order');
    await expect(detail.getByTestId('fulfillment-status')).toHaveText('Not shipped yet');
    await detail.getByRole('button', { name: 'Ship', exact: true }).click();
    // Nothing is sent until the shipment is confirmed; Back leaves the order as it was.
    await detail.getByRole('button', { name: 'Back' }).click();
    await expect(detail.getByTestId('fulfillment-status')).toHaveText('Not shipped yet');
    await detail.getByRole('button', { name: 'Ship', exact: true }).click();
    await detail.getByLabel('Carrier').fill('UPS');
    await detail.getByLabel('Tracking number').fill('1Z999AA10123456784');
    await detail.getByRole('button', { name: 'Confirm shipment' }).click();

    await expect(
      toast(page, `Order #${order.number} shipped; the customer is mailed the tracking number.`),
    ).toBeVisible();
    await expect(detail.getByTestId('fulfillment-status')).toHaveText('Shipped');
    await expect(detail.getByTestId('admin-tracking')).toHaveText('UPS 1Z999AA10123456784');
    const shipped = detail.getByTestId('order-timeline').getByRole('listitem').filter({ hasText: 'Shipped' });
    await expect(shipped).toContainText('by admin');
    await expect(shipped).toContainText('UPS');
    await expect(detail.getByRole('button', { name: 'Ship', exact: true })).toHaveCount(0);
    await expect(detail.getByRole('button', { name: 'Mark delivered' })).toBeVisible();

    // The shipped mail waits in the outbox: this server has no SMTP_URL, and the page says so.
    await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Outbox' }).click();
    await expect(page.getByRole('heading', { name: 'Outbox', level: 1 })).toBeVisible();
    await expect(page.getByTestId('smtp-missing')).toContainText('SMTP is not configured');
    const mails = page.getByTestId('outbox-row').filter({ hasText: user.email });
    await expect(mails.filter({ hasText: 'Shipped' })).toHaveCount(1);
    await expect(mails.filter({ hasText: 'Shipped' })).toContainText(order.number);
    await expect(mails.filter({ hasText: 'Order confirmation' })).toHaveCount(1);
    await expect(mails.first().getByText('Pending')).toBeVisible();
    await expectNoSeriousA11yViolations(page);
    await page.getByLabel('Status').selectOption('sent');
    await expect(page).toHaveURL(/status=sent/);
    await expect(page.getByTestId('outbox-row').filter({ hasText: user.email })).toHaveCount(0);

    for (const size of [DESKTOP, PHONE]) {
      await shopper.setViewportSize(size);
      await shopper.goto('/orders');
      const entry = historyEntry(shopper, order.number);
      await expect(entry.getByTestId('fulfillment-status')).toHaveText('Shipped');
      await expect(entry.getByTestId('tracking')).toContainText(
        'with UPS, tracking number 1Z999AA10123456784',
      );
      await expect(entry.getByTestId('tracking')).toBeInViewport();
      // Shipped: too late for the shopper to cancel.
      await expect(entry.getByRole('button', { name: 'Cancel order' })).toHaveCount(0);
      await fitsTheScreen(shopper);
    }
    await shopperContext.close();
  });

  test('the list shows payment and fulfilment, a deleted account as "deleted customer", and filters', async ({
    page,
    baseURL,
  }) => {
    // Eight filter changes and an axe run.
    test.setTimeout(60_000);
    await signInAsAdmin(page.request);
    const product = await ownProduct(page.request, 'Lifecycle Anonymous Vase', 5);
    const shopper = await playwrightRequest.newContext({ baseURL });
    const user = newUser();
    expect((await shopper.post('/api/auth/register', { data: user })).status()).toBe(201);
    const kept = await placeOrder(shopper, product.id, 1);
    const cancelled = await placeOrder(shopper, product.id, 1);
    expect((await shopper.post(`/api/orders/${cancelled.id}/cancel`)).status()).toBe(200);
    const gone = await shopper.delete('/api/me', { data: { password: user.password } });
    expect(gone.status(), await gone.text()).toBe(204);
    await shopper.dispose();

    await page.goto('/admin/orders');
    const rows = page.getByTestId('admin-order-row');
    await page.getByLabel('Customer or order').fill(kept.number);
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect(page).toHaveURL(new RegExp(`q=${kept.number}`));
    await expect(rows).toHaveCount(1);
    const row = rows.first();
    await expect(row.getByRole('link', { name: `#${kept.number}` })).toBeVisible();
    await expect(row).toContainText('deleted customer');
    // No customer link: nothing is left that identifies the person.
    await expect(row.getByRole('link')).toHaveCount(1);
    await expect(row.getByTestId('payment-status')).toHaveText('Awaiting payment');
    await expect(row.getByTestId('fulfillment-status')).toHaveText('Not shipped yet');
    await expectNoSeriousA11yViolations(page);

    // Each filter select applies at once and lives in the URL.
    await page.getByLabel('Fulfilment').selectOption('cancelled');
    await expect(page).toHaveURL(/fulfillmentStatus=cancelled/);
    await expect(page.getByText('0 orders')).toBeVisible();
    await expect(rows).toHaveCount(0);
    await page.getByLabel('Fulfilment').selectOption('unfulfilled');
    await expect(rows).toHaveCount(1);
    await page.getByLabel('Payment').selectOption('paid');
    await expect(page).toHaveURL(/paymentStatus=paid/);
    await expect(rows).toHaveCount(0);
    await page.getByLabel('Payment').selectOption('awaiting');
    await expect(rows).toHaveCount(1);

    // Without the number: every row shown matches both filters, the cancelled order among them.
    await page.getByLabel('Customer or order').fill('');
    await page.getByLabel('Fulfilment').selectOption('cancelled');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect(page).not.toHaveURL(/q=/);
    await expect(page).toHaveURL(/paymentStatus=awaiting/);
    await expect(page).toHaveURL(/fulfillmentStatus=cancelled/);
    await expect(rows.first()).toBeVisible();
    await expect(rows.getByTestId('fulfillment-status').filter({ hasNotText: 'Cancelled' })).toHaveCount(0);
    await expect(rows.getByTestId('payment-status').filter({ hasNotText: 'Awaiting payment' })).toHaveCount(
      0,
    );
    await page.getByLabel('Customer or order').fill(cancelled.number);
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText('deleted customer');
    await expect(rows.first().getByRole('link', { name: `#${cancelled.number}` })).toBeVisible();

    // A reload keeps the filters: they are the URL.
    await page.reload();
    await expect(page.getByLabel('Payment')).toHaveValue('awaiting');
    await expect(page.getByLabel('Fulfilment')).toHaveValue('cancelled');
    await expect(rows).toHaveCount(1);
  });
});

for (const size of [DESKTOP, PHONE]) {
  test.describe(`order history at ${size.width}x${size.height}`, () => {
    test.use({ viewport: size });

    test('a shopper cancels an unfulfilled order after confirming; its stock comes back', async ({
      page,
      baseURL,
    }) => {
      const admin = await playwrightRequest.newContext({ baseURL });
      await signInAsAdmin(admin);
      const product = await ownProduct(admin, 'Lifecycle Cancelled Teapot', 6);
      await admin.dispose();
      await signUp(page.request);
      const order = await placeOrder(page.request, product.id, 2);
      expect(await stockOf(page.request, product.id)).toBe(4);

      await page.goto('/orders');
      const entry = historyEntry(page, order.number);
      await expect(entry.getByTestId('fulfillment-status')).toHaveText('Not shipped yet');
      await entry.getByRole('button', { name: 'Cancel order' }).click();
      await expect(entry.getByText(`Cancel order #${order.number}?`)).toBeVisible();
      // Keep it: nothing changes.
      await entry.getByRole('button', { name: 'Keep it' }).click();
      await expect(entry.getByTestId('fulfillment-status')).toHaveText('Not shipped yet');
      expect(await stockOf(page.request, product.id)).toBe(4);

      await entry.getByRole('button', { name: 'Cancel order' }).click();
      await entry.getByRole('button', { name: 'Yes, cancel order' }).click();
      await expect(toast(page, `Order #${order.number} is cancelled.`)).toBeVisible();
      await expect(entry.getByTestId('fulfillment-status')).toHaveText('Cancelled');
      await expect(entry.getByRole('button', { name: 'Cancel order' })).toHaveCount(0);
      await entry.getByText('History').click();
      await expect(entry.getByTestId('order-timeline')).toContainText('Cancelled');
      await expect(entry.getByTestId('order-timeline')).toContainText('by customer');
      expect(await stockOf(page.request, product.id)).toBe(6);
      await fitsTheScreen(page);
    });
  });
}
