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
  // No waiting for the network and no retry: a typed quantity must survive late answers.
  const input = page.getByLabel(`Quantity of ${name}`);
  await input.fill(String(quantity));
  await expect(input).toHaveValue(String(quantity));
  await page.getByRole('button', { name: `Add ${name} to cart` }).click();
}

/** Fills the structured shipping address on the checkout page (name, city, country come prefilled). */
async function fillAddress(page: Page, street: string, postalCode = '49007') {
  await page.getByLabel('Street and number (more lines allowed)').fill(street);
  await page.getByLabel('Postal code').fill(postalCode);
}
const summary = (page: Page) => page.getByTestId('order-summary');

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
  return ((await res.json()) as { id: number; number: string; status: string }[]).filter(
    (o) => o.status === 'CLOSED',
  );
}
const tempOrder = (page: Page) => page.getByTestId('temp-order');

test.describe('cart and orders', () => {
  test('adds with a quantity, edits it, purchases with an address, and shows the closed order', async ({
    page,
  }) => {
    // Four products added, three cart edits, checkout and an axe run: 16 s alone, past the default
    // 30 s beside the other worker.
    test.setTimeout(90_000);
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

    await page.getByRole('link', { name: /^Cart\b/ }).click();
    const order = tempOrder(page);
    await expect(order.getByTestId('order-total')).toHaveText('$39.00');

    // Enter sends the change once: the blur of the input it disables does not send it again.
    const quantityChanges: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'PUT' && r.url().includes('/api/cart/items/')) quantityChanges.push(r.url());
    });
    await order.getByLabel('Quantity of Zephyr Lamp').fill('3');
    await order.getByLabel('Quantity of Zephyr Lamp').press('Enter');
    await expect(toast(page, 'Zephyr Lamp: quantity set to 3.')).toBeVisible();
    await expect(order.getByTestId('order-total')).toHaveText('$51.00');
    expect(quantityChanges).toHaveLength(1);
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

    await order.getByRole('link', { name: /^Checkout/ }).click();
    await expect(summary(page)).toContainText('Zephyr Lamp');
    await expect(summary(page).getByTestId('order-total')).toHaveText('$36.00');
    await summary(page)
      .getByRole('button', { name: /^Purchase/ })
      .click();
    await expect(page.getByText('Enter the street and house number.')).toBeVisible();
    await fillAddress(page, '12 Evergreen Terrace\nApartment 3');
    await summary(page)
      .getByRole('button', { name: /^Purchase/ })
      .click();
    await expect(toast(page, /Thank you! Order #[0-9A-Z]{7} is placed: \$36\.00\./)).toBeVisible();

    await expect(page.getByRole('heading', { name: 'No order in progress' })).toBeVisible();
    await expect(cartCount(page)).toHaveCount(0);
    const closed = page.getByTestId('closed-order');
    await expect(closed).toHaveCount(1);
    await expect(closed).toContainText('Awaiting payment');
    await expect(closed).toContainText('3 × Zephyr Lamp');
    await expect(closed).toContainText('at $12.00');
    // The address as entered, one line per part.
    await expect(closed.locator('.address')).toHaveText(
      'Ada Lovelace\n12 Evergreen Terrace\nApartment 3\n49007 Springfield\nUnited States',
    );
    await expect(closed).toContainText('Total $36.00');
    await expect(closed.getByRole('spinbutton')).toHaveCount(0);

    // A new TEMP order starts after the purchase and is shown first.
    await addFromProductPage(page, 'Quokka Chair', 1);
    await expect(toast(page, 'Added 1 × Quokka Chair to your cart.')).toBeVisible();
    await page.getByRole('link', { name: 'Orders', exact: true }).click();
    await expect(page.getByTestId('cart-summary')).toContainText('1 item');
    const sections = page.locator('[data-testid="cart-summary"], [data-testid="closed-order"]');
    await expect(sections.first()).toHaveAttribute('data-testid', 'cart-summary');
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
    await page.goto('/checkout');
    await fillAddress(page, '742 Evergreen Terrace');
    await summary(page)
      .getByRole('button', { name: /^Purchase/ })
      .click();
    await expect(toast(page, /Not enough stock\. Wombat Kite: you asked for 2, only 1 left/)).toBeVisible();
    await expect(page.getByRole('alert').filter({ hasText: 'Some items are short on stock' })).toContainText(
      'Wombat Kite',
    );
    await expect(summary(page)).toBeVisible();
    await expect(page.getByTestId('closed-order')).toHaveCount(0);

    // The server refused this cart: pressing Purchase again is a new attempt with a new key.
    await summary(page)
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

    await page.goto('/checkout');
    await fillAddress(page, '4 Privet Drive, Little Whinging');
    await summary(page)
      .getByRole('button', { name: /^Purchase/ })
      .click();
    await expect(toast(page, /Your purchase could not be confirmed\./)).toBeVisible();
    await expect(toast(page, /Press Purchase again: the order will not be placed twice\./)).toBeVisible();
    const [placed] = await closedOrders(page.request);
    expect(placed, 'the first attempt did place the order').toBeTruthy();
    // The cart stays on screen, so the shopper can press Purchase again.
    await expect(summary(page)).toBeVisible();

    await summary(page)
      .getByRole('button', { name: /^Purchase/ })
      .click();
    await expect(toast(page, `Thank you! Order #${placed.number} is placed: $30.00.`)).toBeVisible();
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
    await page.goto('/cart');
    await tempOrder(page).getByRole('button', { name: 'Delete order' }).click();
    await expect(page.getByText('Delete this whole order?')).toBeVisible();
    await page.getByRole('button', { name: 'Yes, delete order' }).click();
    await expect(toast(page, 'Your in-progress order was deleted.')).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Your cart is empty' })).toBeVisible();
    await expect(cartCount(page)).toHaveCount(0);
  });
});
