import {
  type APIRequestContext,
  expect,
  type Page,
  request as playwrightRequest,
  test,
} from '@playwright/test';
import { expectNoSeriousA11yViolations, newUser, productId, signUp, toast } from './fixtures.ts';

// Issue 13: the shop as a shopper meets it, at 1280×800 and on a 375×812 phone.

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 375, height: 812 };
const SIZES = [
  ['desktop', DESKTOP],
  ['phone', PHONE],
] as const;

async function pageFitsTheScreen(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${page.url()} is wider than the screen`).toBeLessThanOrEqual(0);
}

async function insideViewport(page: Page, locator: ReturnType<Page['locator']>) {
  const box = await locator.boundingBox();
  const viewport = page.viewportSize()!;
  expect(box, 'on screen').toBeTruthy();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(viewport.width + 0.5);
  expect(box!.y + box!.height).toBeLessThanOrEqual(viewport.height + 0.5);
}

const boxesOverlap = (
  a: { x: number; y: number; width: number; height: number },
  b: { x: number; y: number; width: number; height: number },
) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** A signed-in shopper with one line in the cart. */
async function shopperWithCart(request: APIRequestContext, name = 'Wombat Scarf', quantity = 2) {
  const user = await signUp(request);
  const id = await productId(request, name);
  const add = await request.post('/api/cart/items', { data: { productId: id, quantity } });
  expect(add.status(), await add.text()).toBe(200);
  return user;
}

for (const [label, size] of SIZES) {
  test.describe(`at ${label} size`, () => {
    test.use({ viewport: size });

    test('no page is wider than the screen; notifications and the header fit', async ({ page }) => {
      await shopperWithCart(page.request);
      for (const path of [
        '/',
        '/?view=table',
        '/?view=grid',
        '/cart',
        '/checkout',
        '/orders',
        '/favorites',
      ]) {
        await page.goto(path);
        await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible({ timeout: 20_000 });
        await pageFitsTheScreen(page);
      }
      // Every header link is whole and on screen (no clipped "Accoun").
      await page.goto('/');
      for (const name of ['Shop', 'Favorites', 'Orders', 'Assistant', 'Account']) {
        const link = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
        await insideViewport(page, link);
        const clipped = await link.evaluate((el) => el.scrollWidth > el.clientWidth + 1);
        expect(clipped, `${name} is clipped`).toBe(false);
      }
      await insideViewport(page, page.getByRole('link', { name: /^Cart\b/ }));

      // "Added" and "Not enough stock" are seen: inside the viewport.
      await page.goto('/?q=Quokka%20Desk&view=table');
      await page.getByRole('button', { name: 'Add Quokka Desk to cart' }).first().click();
      await insideViewport(page, toast(page, 'Added 1 × Quokka Desk to your cart.'));
      await page.getByLabel('Quantity of Quokka Desk').first().fill('9');
      await page.getByRole('button', { name: 'Add Quokka Desk to cart' }).first().click();
      await insideViewport(page, toast(page, /Not enough stock for Quokka Desk/));
      await pageFitsTheScreen(page);
    });

    test('the assistant button never covers an Add button, a favorite toggle or a total', async ({
      page,
    }) => {
      await shopperWithCart(page.request);
      const assistant = page.getByRole('button', { name: 'Ask the assistant' });
      const check = async (controls: ReturnType<Page['locator']>) => {
        const count = await controls.count();
        for (let i = 0; i < count; i++) {
          const control = controls.nth(i);
          await control.scrollIntoViewIfNeeded();
          const [a, b] = [await assistant.boundingBox(), await control.boundingBox()];
          if (a && b) expect(boxesOverlap(a, b), `assistant covers control ${i}`).toBe(false);
        }
      };
      await page.goto('/');
      await expect(page.getByRole('button', { name: /^Add .* to cart$/ }).first()).toBeVisible({
        timeout: 20_000,
      });
      await check(page.getByRole('button', { name: /^(Add .* to cart|Favorite .*)$/ }));
      await page.goto('/cart');
      await check(page.getByTestId('order-total'));
    });

    test('screenshots of shop, product, cart, checkout and orders', async ({ page }) => {
      await shopperWithCart(page.request);
      const shots: [string, string, RegExp | string][] = [
        ['shop', '/', 'Shop'],
        ['product', `/products/${await productId(page.request, 'Zephyr Lamp')}`, 'Zephyr Lamp'],
        ['cart', '/cart', 'Cart'],
        ['checkout', '/checkout', 'Checkout'],
        ['orders', '/orders', 'Orders'],
      ];
      for (const [name, path, heading] of shots) {
        await page.goto(path);
        await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
        await page.screenshot({ path: `test-results/screenshots/${name}-${size.width}x${size.height}.png` });
      }
    });
  });
}

test.describe('phones', () => {
  test.use({ viewport: PHONE });

  test('cards are the default on a narrow screen; cart lines stack name, quantity, total and remove', async ({
    page,
  }) => {
    await shopperWithCart(page.request);
    await page.goto('/');
    await expect(page.getByTestId('product-card').first()).toBeVisible({ timeout: 20_000 });
    await expect(page.getByTestId('product-row')).toHaveCount(0);

    await page.goto('/cart');
    const line = page.getByTestId('order-line').first();
    for (const part of [
      line.getByRole('link', { name: 'Wombat Scarf' }),
      line.getByLabel('Quantity of Wombat Scarf'),
      line.getByText('$30.00'),
      line.getByRole('button', { name: 'Remove Wombat Scarf' }),
    ]) {
      await insideViewport(page, part);
    }
  });
});

test.describe('a real cart', () => {
  test('the header badge follows this tab, another tab (focus or navigation) and the assistant', async ({
    page,
    context,
  }) => {
    await shopperWithCart(page.request, 'Wombat Scarf', 1);
    await page.goto('/');
    await expect(page.getByTestId('cart-count')).toContainText('1', { timeout: 20_000 });

    // Another tab adds two more; coming back to this one shows them.
    const other = await context.newPage();
    await other.goto('/?q=Quokka%20Chair&view=table');
    await other.getByLabel('Quantity of Quokka Chair').fill('2');
    await other.getByRole('button', { name: 'Add Quokka Chair to cart' }).click();
    await expect(toast(other, 'Added 2 × Quokka Chair to your cart.')).toBeVisible();
    await page.bringToFront();
    await page.evaluate(() => window.dispatchEvent(new Event('focus')));
    await page.getByRole('link', { name: 'Favorites', exact: true }).click();
    await expect(page.getByTestId('cart-count')).toContainText('3');
    await other.close();

    // The assistant's own tool adds to the cart: the badge follows without a reload.
    await page.getByRole('button', { name: 'Ask the assistant' }).click();
    const input = page.locator('#assistant-panel').getByLabel('Ask the shopping assistant');
    await input.fill('add 1 Zephyr Lamp to my cart');
    await input.press('Enter');
    await expect(page.getByTestId('cart-count')).toContainText('4', { timeout: 20_000 });

    // The cart page: lines, total and the way to checkout.
    await page.getByRole('link', { name: /^Cart\b/ }).click();
    await expect(page.getByTestId('order-line')).toHaveCount(3);
    await expect(page.getByTestId('order-total')).toHaveText('$77.00');
    await expect(page.getByRole('link', { name: /^Checkout/ })).toBeVisible();
  });

  test('a guest cart is merged on sign-in with the stock checks, and says what could not be merged', async ({
    page,
  }) => {
    // A kite of this test's own: other tests buy the fixture ones.
    const admin = await playwrightRequest.newContext({ baseURL: test.info().project.use.baseURL });
    expect(
      (
        await admin.post('/api/auth/login', { data: { username: 'admin', password: 'admin-demo-pass' } })
      ).status(),
    ).toBe(200);
    const categories = await (await admin.get('/api/categories')).json();
    const kiteName = `Merge Kite ${Date.now().toString(36)}`;
    const created = await admin.post('/api/admin/products', {
      data: { name: kiteName, description: 'e2e', categoryId: categories[0].id, priceCents: 900, stock: 2 },
    });
    expect(created.status()).toBe(201);
    const kite = (await created.json()).id;
    await admin.dispose();

    const user = newUser();
    const registered = await page.request.post('/api/auth/register', { data: user });
    expect(registered.status()).toBe(201);
    // The account already holds both kites; a guest in this browser wants more.
    await page.request.post('/api/cart/items', { data: { productId: kite, quantity: 2 } });
    await page.request.post('/api/auth/logout');

    await page.goto(`/?q=${encodeURIComponent(`wombat scarf,${kiteName}`)}&view=table`);
    await page.getByLabel('Quantity of Wombat Scarf').fill('3');
    await page.getByRole('button', { name: 'Add Wombat Scarf to cart' }).click();
    await expect(toast(page, 'Added 3 × Wombat Scarf to your cart.')).toBeVisible();
    await page.getByRole('button', { name: `Add ${kiteName} to cart` }).click();
    await expect(toast(page, `Added 1 × ${kiteName} to your cart.`)).toBeVisible();
    // A guest cannot take more than the stock either.
    await page.getByLabel(`Quantity of ${kiteName}`).fill('2');
    await page.getByRole('button', { name: `Add ${kiteName} to cart` }).click();
    await expect(toast(page, `Not enough stock for ${kiteName}: only 2 available.`)).toBeVisible();
    await expect(page.getByTestId('cart-count')).toContainText('4');

    await page.getByRole('link', { name: /^Cart\b/ }).click();
    await expect(page.getByTestId('order-line')).toHaveCount(2);
    await page.getByRole('link', { name: /^Checkout/ }).click();
    await expect(page).toHaveURL(/\/login$/);
    await page.getByLabel('Username').fill(user.username);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Log in' }).click();

    await expect(toast(page, 'Your cart from before signing in is saved: 3 added.')).toBeVisible();
    await expect(toast(page, `${kiteName}: not added, none left in stock`)).toBeVisible();
    await expect(page.getByTestId('cart-count')).toContainText('5');
    await expect(page).toHaveURL(/\/checkout$/);
    await expect(page.getByTestId('order-summary')).toContainText('Wombat Scarf');
  });

  test('saving a favorite as a guest completes after signing in', async ({ page }) => {
    const user = newUser();
    expect((await page.request.post('/api/auth/register', { data: user })).status()).toBe(201);
    await page.request.post('/api/auth/logout');
    await page.goto('/?q=Zephyr%20Lamp&view=table');
    await page.getByRole('button', { name: 'Favorite Zephyr Lamp' }).click();
    await expect(page).toHaveURL(/\/login$/);
    await page.getByLabel('Username').fill(user.username);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(toast(page, 'Saved Zephyr Lamp to favorites.')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Favorite Zephyr Lamp' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
  });

  test('checkout: the address is prefilled from the profile, a summary comes before Purchase', async ({
    page,
  }) => {
    await shopperWithCart(page.request, 'Wombat Scarf', 1);
    await page.goto('/checkout');
    await expect(page.getByLabel('Full name')).toHaveValue('Ada Lovelace');
    await expect(page.getByLabel('City')).toHaveValue('Springfield');
    await expect(page.getByLabel('Country')).toHaveValue('United States');
    const summary = page.getByTestId('order-summary');
    await expect(summary).toContainText('Wombat Scarf');
    await expect(summary.getByTestId('order-total')).toHaveText('$15.00');
    // The summary sits above the Purchase button.
    const [summaryBox, buttonBox] = [
      await summary.getByRole('heading', { name: 'Order summary' }).boundingBox(),
      await page.getByRole('button', { name: /^Purchase/ }).boundingBox(),
    ];
    expect(summaryBox!.y).toBeLessThan(buttonBox!.y);
  });
});

test.describe('browsing', () => {
  test('category applies at once, filters show as removable chips, the page number is clamped', async ({
    page,
  }) => {
    await page.goto('/?view=table');
    await page.getByLabel('Category').selectOption('e2e-fixtures');
    await expect(page).toHaveURL(/category=e2e-fixtures/);
    const chip = page.getByRole('button', { name: /Remove filter Category/ });
    await expect(chip).toBeVisible();
    await page.getByRole('searchbox', { name: /search products/i }).fill('quokka');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect(page.getByRole('button', { name: 'Remove filter Search: quokka' })).toBeVisible();
    await chip.click();
    await expect(page).not.toHaveURL(/category=/);
    await expect(page).toHaveURL(/q=quokka/);

    await page.goto('/?page=99&pageSize=5');
    await expect(page).not.toHaveURL(/page=99/);
    await expect(page.getByText(/^Page (\d+) of \1$/)).toBeVisible();
  });

  test('pictures in full colour, stock in words, an archived product says it is gone', async ({ page }) => {
    await page.goto('/?view=grid');
    const img = page.locator('img.img').first();
    await expect(img).toBeVisible();
    expect(await img.evaluate((el) => [getComputedStyle(el).filter, getComputedStyle(el).opacity])).toEqual([
      'none',
      '1',
    ]);
    await page.goto('/?q=zephyr,quokka&view=table');
    await expect(page.getByTestId('product-row').filter({ hasText: 'Zephyr Mug' })).toContainText('Sold out');
    await expect(page.getByTestId('product-row').filter({ hasText: 'Quokka Desk' })).toContainText(
      'Only 3 left',
    );
    await expect(page.getByTestId('product-row').filter({ hasText: 'Quokka Chair' })).toContainText(
      'In stock',
    );

    await page.goto('/products/999999');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('This product is no longer available');
    await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
    await expect(page.getByRole('link', { name: 'Your orders' })).toBeVisible();
  });

  test('a search with no name match shows related products and keeps the query', async ({ page }) => {
    await page.goto('/?view=table');
    // "lamps" is no product name, but the free-text search finds the lamp (plural, description).
    await page.getByRole('searchbox', { name: /search products/i }).fill('zephyr lampz');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect(page.getByTestId('no-results')).toBeVisible({ timeout: 20_000 });
    const related = page.getByTestId('related-products');
    await expect(related.getByRole('link', { name: 'Zephyr Lamp', exact: true })).toBeVisible();
    await expect(page.getByRole('searchbox', { name: /search products/i })).toHaveValue('zephyr lampz');
  });

  test('a guest page load logs no console errors', async ({ page }) => {
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    for (const path of ['/', '/cart', `/products/${await productId(page.request, 'Zephyr Lamp')}`]) {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
    }
    await page.waitForLoadState('networkidle');
    expect(errors).toEqual([]);
  });

  test('every shop page has no serious or critical accessibility issue', async ({ page }) => {
    // Fourteen pages, each analysed by axe: well past the default 30 s on a busy machine.
    test.setTimeout(180_000);
    await shopperWithCart(page.request);
    const lamp = await productId(page.request, 'Zephyr Lamp');
    for (const path of [
      '/',
      '/?view=grid',
      `/products/${lamp}`,
      '/products/999999',
      '/cart',
      '/checkout',
      '/orders',
      '/favorites',
      '/account',
      '/assistant',
      '/no-such-page',
    ]) {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
      await expectNoSeriousA11yViolations(page);
    }
    await page.request.post('/api/auth/logout');
    for (const path of ['/login', '/register', '/cart']) {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
      await expectNoSeriousA11yViolations(page);
    }
  });
});
