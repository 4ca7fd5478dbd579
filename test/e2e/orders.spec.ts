import {
  type APIRequestContext,
  expect,
  type Page,
  request as playwrightRequest,
  test,
} from '@playwright/test';
import { expectNoSeriousA11yViolations, productId, signUp, toast } from './fixtures.ts';

async function addFromProductPage(page: Page, name: string, quantity: number) {
  await page.goto(`/?q=${encodeURIComponent(name)}`);
  await page.getByRole('link', { name, exact: true }).click();
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
  // Late queries right after navigation have been seen to re-render the form and drop a typed value.
  await page.waitForLoadState('networkidle');
  const input = page.getByLabel(`Quantity of ${name}`);
  await expect(async () => {
    await input.fill(String(quantity));
    await expect(input).toHaveValue(String(quantity), { timeout: 500 });
  }).toPass();
  await page.getByRole('button', { name: `Add ${name} to cart` }).click();
}

const cartCount = (page: Page) => page.getByTestId('cart-count');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The Idempotency-Key header of every checkout request the page sends, in order. */
function checkoutKeys(page: Page): (string | undefined)[] {
  const keys: (string | undefined)[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/cart/checkout') {
      keys.push(request.headers()['idempotency-key']);
    }
  });
  return keys;
}

async function closedOrders(request: APIRequestContext) {
  const res = await request.get('/api/orders');
  expect(res.status()).toBe(200);
  return ((await res.json()) as { id: number; status: string }[]).filter((o) => o.status === 'CLOSED');
}
const tempOrder = (page: Page) => page.getByTestId('temp-order');

test.describe('cart and orders', () => {
  test('adds with a quantity, edits it, purchases with an address, and shows the closed order', async ({
    page,
  }) => {
    await signUp(page.request);
    await addFromProductPage(page, 'Zephyr Lamp', 2);
    await expect(toast(page, 'Added 2 × Zephyr Lamp to your cart.')).toBeVisible();
    await expect(cartCount(page)).toContainText('2');

    await addFromProductPage(page, 'Wombat Scarf', 1);
    await expect(toast(page, 'Added 1 × Wombat Scarf to your cart.')).toBeVisible();
    await expect(cartCount(page)).toContainText('3');

    // More than the stock: refused with a notification naming the product.
    await addFromProductPage(page, 'Quokka Desk', 4);
    await expect(toast(page, 'Not enough stock for Quokka Desk: only 3 available.')).toBeVisible();
    await expect(cartCount(page)).toContainText('3');

    await page.getByRole('link', { name: /^Orders/ }).click();
    const order = tempOrder(page);
    await expect(order.getByText('In progress')).toBeVisible();
    await expect(order.getByTestId('order-total')).toHaveText('$39.00');

    await order.getByLabel('Quantity of Zephyr Lamp').fill('3');
    await order.getByLabel('Quantity of Zephyr Lamp').press('Enter');
    await expect(toast(page, 'Zephyr Lamp: quantity set to 3.')).toBeVisible();
    await expect(order.getByTestId('order-total')).toHaveText('$51.00');
    await expect(cartCount(page)).toContainText('4');

    // Above the stock from the order page: the server refuses, the notification says what is left.
    await order.getByLabel('Quantity of Zephyr Lamp').fill('50');
    await order.getByLabel('Quantity of Zephyr Lamp').press('Enter');
    await expect(toast(page, /Zephyr Lamp: only \d+ available/)).toBeVisible();
    await expect(order.getByLabel('Quantity of Zephyr Lamp')).toHaveValue('3');

    await order.getByRole('button', { name: 'Remove Wombat Scarf' }).click();
    await expect(toast(page, 'Removed Wombat Scarf from your order.')).toBeVisible();
    await expect(order.getByTestId('order-line')).toHaveCount(1);
    await expect(order.getByTestId('order-total')).toHaveText('$36.00');
    await expectNoSeriousA11yViolations(page);

    await order.getByRole('button', { name: /^Purchase/ }).click();
    await expect(page.getByText('Enter the shipping address for this order.')).toBeVisible();
    await order.getByLabel('Shipping address').fill('12 Evergreen Terrace, Springfield, 49007, USA');
    await order.getByRole('button', { name: /^Purchase/ }).click();
    await expect(toast(page, /Thank you! Order #\d+ is placed: \$36\.00\./)).toBeVisible();

    await expect(page.getByRole('heading', { name: 'No order in progress' })).toBeVisible();
    await expect(cartCount(page)).toHaveCount(0);
    const closed = page.getByTestId('closed-order');
    await expect(closed).toHaveCount(1);
    await expect(closed).toContainText('Completed');
    await expect(closed).toContainText('3 × Zephyr Lamp');
    await expect(closed).toContainText('at $12.00');
    await expect(closed).toContainText('12 Evergreen Terrace, Springfield, 49007, USA');
    await expect(closed).toContainText('Total $36.00');
    await expect(closed.getByRole('spinbutton')).toHaveCount(0);

    // A new TEMP order starts after the purchase and is shown first.
    await addFromProductPage(page, 'Quokka Chair', 1);
    await expect(toast(page, 'Added 1 × Quokka Chair to your cart.')).toBeVisible();
    await page.getByRole('link', { name: /^Orders/ }).click();
    await expect(tempOrder(page)).toContainText('Quokka Chair');
    const sections = page.locator('[data-testid="temp-order"], [data-testid="closed-order"]');
    await expect(sections.first()).toHaveAttribute('data-testid', 'temp-order');
    await page.screenshot({ path: 'test-results/screenshots/orders.png', fullPage: true });
  });

  test('names the product and what is left when stock runs out before purchase', async ({
    page,
    baseURL,
  }) => {
    await signUp(page.request);
    await addFromProductPage(page, 'Wombat Kite', 2);
    await expect(toast(page, 'Added 2 × Wombat Kite to your cart.')).toBeVisible();

    // Another shopper buys one kite first.
    const other = await playwrightRequest.newContext({ baseURL });
    await signUp(other);
    const kite = await productId(other, 'Wombat Kite');
    expect((await other.post('/api/cart/items', { data: { productId: kite, quantity: 1 } })).status()).toBe(
      200,
    );
    expect(
      (await other.post('/api/cart/checkout', { data: { shippingAddress: '1 Other St' } })).status(),
    ).toBe(201);
    await other.dispose();

    const keys = checkoutKeys(page);
    await page.goto('/orders');
    await tempOrder(page).getByLabel('Shipping address').fill('742 Evergreen Terrace');
    await tempOrder(page)
      .getByRole('button', { name: /^Purchase/ })
      .click();
    await expect(toast(page, /Not enough stock\. Wombat Kite: you asked for 2, only 1 left/)).toBeVisible();
    await expect(page.getByRole('alert').filter({ hasText: 'Some items are short on stock' })).toContainText(
      'Wombat Kite',
    );
    await expect(tempOrder(page)).toBeVisible();
    await expect(page.getByTestId('closed-order')).toHaveCount(0);

    // The server refused this cart: pressing Purchase again is a new attempt with a new key.
    await tempOrder(page)
      .getByRole('button', { name: /^Purchase/ })
      .click();
    await expect.poll(() => keys.length).toBe(2);
    await expect(toast(page, /Not enough stock\. Wombat Kite/)).toHaveCount(2);
    expect(keys[0]).toMatch(UUID);
    expect(keys[1]).toMatch(UUID);
    expect(keys[1]).not.toBe(keys[0]);
  });

  test('a purchase whose answer was lost is retried with the same Idempotency-Key and placed once', async ({
    page,
  }) => {
    await signUp(page.request);
    const scarf = await productId(page.request, 'Wombat Scarf');
    const add = await page.request.post('/api/cart/items', { data: { productId: scarf, quantity: 2 } });
    expect(add.status(), await add.text()).toBe(200);

    // The first checkout reaches the server, which places the order; its answer never reaches the
    // browser. Later checkouts pass through untouched.
    const keys = checkoutKeys(page);
    let intercepted = 0;
    await page.route('**/api/cart/checkout', async (route) => {
      intercepted += 1;
      if (intercepted > 1) return route.continue();
      const placed = await route.fetch();
      expect(placed.status(), await placed.text()).toBe(201);
      await route.abort('connectionreset');
    });

    await page.goto('/orders');
    await tempOrder(page).getByLabel('Shipping address').fill('4 Privet Drive, Little Whinging');
    await tempOrder(page)
      .getByRole('button', { name: /^Purchase/ })
      .click();
    await expect(toast(page, /Your purchase could not be confirmed\./)).toBeVisible();
    await expect(toast(page, /Press Purchase again: the order will not be placed twice\./)).toBeVisible();
    const [placed] = await closedOrders(page.request);
    expect(placed, 'the first attempt did place the order').toBeTruthy();
    // The cart stays on screen, so the shopper can press Purchase again.
    await expect(tempOrder(page)).toBeVisible();

    await tempOrder(page)
      .getByRole('button', { name: /^Purchase/ })
      .click();
    await expect(toast(page, `Thank you! Order #${placed.id} is placed: $30.00.`)).toBeVisible();
    expect(intercepted).toBe(2);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(UUID);
    expect(keys[1]).toBe(keys[0]);

    // One order, bought once.
    expect((await closedOrders(page.request)).map((o) => o.id)).toEqual([placed.id]);
    await expect(page.getByRole('heading', { name: 'No order in progress' })).toBeVisible();
    await expect(page.getByTestId('closed-order')).toHaveCount(1);
    await expect(page.getByTestId('closed-order')).toContainText('2 × Wombat Scarf');
  });

  test('deletes a whole TEMP order after confirmation', async ({ page }) => {
    await signUp(page.request);
    await addFromProductPage(page, 'Wombat Scarf', 2);
    await expect(cartCount(page)).toContainText('2');
    await page.goto('/orders');
    await tempOrder(page).getByRole('button', { name: 'Delete order' }).click();
    await expect(page.getByText('Delete this whole order?')).toBeVisible();
    await page.getByRole('button', { name: 'Yes, delete order' }).click();
    await expect(toast(page, 'Your in-progress order was deleted.')).toBeVisible();
    await expect(page.getByRole('heading', { name: 'No order in progress' })).toBeVisible();
    await expect(cartCount(page)).toHaveCount(0);
  });
});
