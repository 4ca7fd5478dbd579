import { type APIRequestContext, expect, type Page, test } from '@playwright/test';
import { expectNoSeriousA11yViolations, signUp, toast } from './fixtures.ts';

// Issue 13: the console, for a shop owner.

const ADMIN = { username: 'admin', password: 'admin-demo-pass' };
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const unique = (prefix: string) => `${prefix} ${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

async function signInAsAdmin(request: APIRequestContext) {
  const res = await request.post('/api/auth/login', { data: ADMIN });
  expect(res.status(), await res.text()).toBe(200);
}

async function newProduct(request: APIRequestContext, name: string) {
  const categories = await (await request.get('/api/categories')).json();
  const res = await request.post('/api/admin/products', {
    data: { name, description: 'Console e2e', categoryId: categories[0].id, priceCents: 500, stock: 4 },
  });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()) as { id: number; name: string };
}

const productRow = (page: Page, name: string) =>
  page.getByTestId('admin-product-row').filter({ has: page.getByRole('rowheader', { name }) });

async function openProducts(page: Page, name: string) {
  await page.goto(`/admin/products?status=all&q=${encodeURIComponent(name)}`);
  await expect(productRow(page, name)).toBeVisible({ timeout: 30_000 });
}

test.describe('console', () => {
  test('has its own frame: no shopper header, cart or assistant', async ({ page }) => {
    await signInAsAdmin(page.request);
    await page.goto('/admin');
    // The console's chunk loads on demand: the first page may take a while on a busy machine.
    await expect(page.getByRole('heading', { name: 'Overview', level: 1 })).toBeVisible({ timeout: 30_000 });
    await expect(page.getByRole('link', { name: 'Cartwise console' })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Ask the assistant' })).toHaveCount(0);
    await expect(page.getByRole('link', { name: /Cart/ }).filter({ hasText: '🛒' })).toHaveCount(0);
    await page.getByRole('link', { name: 'Back to the shop' }).click();
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  });

  test('a new product whose picture is refused is created once, and the form then edits it', async ({
    page,
  }) => {
    await signInAsAdmin(page.request);
    const name = unique('Console Picture Lamp');
    await page.goto('/admin/products');
    await page.getByRole('button', { name: 'New product' }).click({ timeout: 30_000 });
    const form = page.locator('form', { has: page.getByRole('heading', { name: 'New product' }) });
    await form.getByLabel('Name').fill(name);
    await form.getByLabel('Category').selectOption({ index: 1 });
    await form.getByLabel('Price (USD)').fill('12.50');
    await form.getByLabel('Description').fill('Lights up');
    // A wrong type is refused before anything is created.
    await form.getByLabel(/^Image/).setInputFiles({ name: 'lamp.gif', mimeType: 'image/gif', buffer: PNG });
    await form.getByRole('button', { name: 'Create product' }).click();
    await expect(form.getByText('Choose a PNG, JPEG or WebP picture.')).toBeVisible();
    let listed = await (await page.request.get(`/api/admin/products?q=${encodeURIComponent(name)}`)).json();
    expect(listed.total).toBe(0);

    // A file that claims to be PNG but is not: the product exists, the form now edits it.
    await form.getByLabel(/^Image/).setInputFiles({
      name: 'lamp.png',
      mimeType: 'image/png',
      buffer: Buffer.from('not really a picture'),
    });
    await form.getByRole('button', { name: 'Create product' }).click();
    await expect(toast(page, new RegExp(`Created ${name}, but the picture was refused`))).toBeVisible();
    const editing = page.locator('form', { has: page.getByRole('heading', { name: `Edit ${name}` }) });
    await expect(editing).toBeVisible();
    await editing
      .getByLabel(/^Image/)
      .setInputFiles({ name: 'lamp.png', mimeType: 'image/png', buffer: PNG });
    await editing.getByRole('button', { name: 'Save changes' }).click();
    await expect(toast(page, `Saved ${name}.`)).toBeVisible();
    listed = await (await page.request.get(`/api/admin/products?q=${encodeURIComponent(name)}`)).json();
    expect(listed.total).toBe(1);
    expect(listed.items[0].imageUrl).toBeTruthy();
  });

  test('archive and delete are separate actions with plain warnings', async ({ page }) => {
    await signInAsAdmin(page.request);
    const kept = await newProduct(page.request, unique('Console Archive Kettle'));
    const gone = await newProduct(page.request, unique('Console Delete Kettle'));

    // Archiving a never-ordered product archives it (it is not deleted) and can be undone.
    await openProducts(page, kept.name);
    let row = productRow(page, kept.name);
    await row.getByRole('button', { name: `Archive ${kept.name}` }).click();
    await expect(row.getByText(/Restore brings it back/)).toBeVisible();
    await row.getByRole('button', { name: `Confirm archiving ${kept.name}` }).click();
    await expect(
      toast(page, `Archived ${kept.name}: hidden from the shop, kept in order history.`),
    ).toBeVisible();
    await expect(row.getByText('archived', { exact: true })).toBeVisible();
    expect((await page.request.get(`/api/admin/products?q=${encodeURIComponent(kept.name)}`)).ok()).toBe(
      true,
    );
    await row.getByRole('button', { name: `Restore ${kept.name}` }).click();
    await expect(toast(page, `Restored ${kept.name} to the shop.`)).toBeVisible();

    // Delete warns that it cannot be undone, then removes the product for good.
    await openProducts(page, gone.name);
    row = productRow(page, gone.name);
    await row.getByRole('button', { name: `Delete ${gone.name}` }).click();
    await expect(row.getByText(/cannot be undone/)).toBeVisible();
    await row.getByRole('button', { name: `Confirm deleting ${gone.name}` }).click();
    await expect(toast(page, `Deleted ${gone.name} for good.`)).toBeVisible();
    const after = await (
      await page.request.get(`/api/admin/products?archived=true&q=${encodeURIComponent(gone.name)}`)
    ).json();
    expect(after.total).toBe(0);
  });

  test('every console page has no serious or critical accessibility issue; screenshots', async ({ page }) => {
    // Seven pages, charts included, each analysed by axe: slow on a busy machine.
    test.setTimeout(300_000);
    await signInAsAdmin(page.request);
    const orders = await (await page.request.get('/api/admin/orders?pageSize=1')).json();
    const customers = await (await page.request.get('/api/ml/customers?pageSize=1')).json();
    const pages: [string, string][] = [
      ['/admin', 'Overview'],
      ['/admin/products', 'Products'],
      ['/admin/orders', 'Orders'],
      ['/admin/customers', 'Customers'],
      ['/admin/models', 'Models'],
    ];
    const order = orders.items[0];
    // The heading shows the public order number once the order is closed (decision 131).
    if (order) pages.push([`/admin/orders/${order.id}`, `Order #${order.number ?? order.id}`]);
    if (customers.items[0])
      pages.push([`/admin/customers/${customers.items[0].userId}`, customers.items[0].username]);
    for (const [path, heading] of pages) {
      await page.goto(path);
      await expect(page.getByRole('heading', { name: heading, level: 1 }).first()).toBeVisible({
        timeout: 30_000,
      });
      await expectNoSeriousA11yViolations(page);
    }
    for (const size of [
      { width: 1280, height: 800 },
      { width: 375, height: 812 },
    ]) {
      await page.setViewportSize(size);
      await page.goto('/admin/products');
      await expect(page.getByRole('heading', { name: 'Products', level: 1 })).toBeVisible({
        timeout: 30_000,
      });
      await page.screenshot({ path: `test-results/screenshots/console-${size.width}x${size.height}.png` });
    }
  });

  test('a customer opening the console gets the console frame saying admins only', async ({ page }) => {
    await signUp(page.request);
    await page.goto('/admin');
    await expect(page.getByRole('heading', { name: 'Admins only' })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0);
  });
});
