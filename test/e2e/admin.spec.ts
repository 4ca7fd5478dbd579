import {
  type APIRequestContext,
  expect,
  type Page,
  request as playwrightRequest,
  test,
} from '@playwright/test';
import { expectNoSeriousA11yViolations, signUp, toast } from './fixtures.ts';

// The demo admin from src/server/db/seed/demo-catalog.ts.
const ADMIN = { username: 'admin', password: 'admin-demo-pass' };

interface MlModelRow {
  id: number;
  kind: string;
  algorithm: string;
  status: string;
}
interface MlJobRow {
  id: number;
  status: string;
  log: string;
  modelIds: number[];
}

/**
 * Records every notification the page shows, one entry per toast, kept after it fades: on a busy
 * machine a six-second toast can be gone before a long test step looks for it.
 */
async function recordToasts(page: Page) {
  await page.addInitScript(() => {
    const shown: string[] = [];
    const seen = new WeakSet<Element>();
    (window as unknown as { shownToasts: string[] }).shownToasts = shown;
    new MutationObserver(() => {
      for (const el of document.querySelectorAll('.toast__message')) {
        if (seen.has(el) || !el.textContent) continue;
        seen.add(el);
        shown.push(el.textContent);
      }
    }).observe(document, { childList: true, subtree: true, characterData: true });
  });
}
const shownToasts = (page: Page) =>
  page.evaluate(() => (window as unknown as { shownToasts: string[] }).shownToasts);
/** Waits until a toast matching `text` has been shown; returns every one that matched. */
async function toastShown(page: Page, text: RegExp, timeout = 30_000) {
  await expect.poll(async () => (await shownToasts(page)).some((t) => text.test(t)), { timeout }).toBe(true);
  return (await shownToasts(page)).filter((t) => text.test(t));
}
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function signInAsAdmin(request: APIRequestContext) {
  const res = await request.post('/api/auth/login', { data: ADMIN });
  expect(res.status(), await res.text()).toBe(200);
}

// A 1×1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

const unique = (prefix: string) => `${prefix} ${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

const productRow = (page: Page, name: string) =>
  page.getByTestId('admin-product-row').filter({ has: page.getByRole('rowheader', { name }) });

async function firstCategoryId(request: APIRequestContext): Promise<number> {
  const categories = await (await request.get('/api/categories')).json();
  return categories[0].id;
}

/** A product made through the admin API, for tests about something other than creating one. */
async function adminProduct(request: APIRequestContext, name: string, stock: number) {
  const res = await request.post('/api/admin/products', {
    data: {
      name,
      description: 'Made by the admin e2e test',
      categoryId: await firstCategoryId(request),
      priceCents: 1999,
      stock,
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()) as { id: number; name: string };
}

async function searchProducts(page: Page, name: string) {
  await page.goto('/admin/products?status=all');
  await page.getByLabel('Search names').fill(name);
  await page.getByRole('button', { name: 'Search', exact: true }).last().click();
}

test.describe('admin console', () => {
  test('an admin creates a product, with inline validation errors, and it appears in the shop', async ({
    page,
  }) => {
    // Console and shop, two round trips of the form and an axe run: 15 s on a quiet machine, past
    // the default 30 s when the other worker is busy.
    test.setTimeout(90_000);
    await signInAsAdmin(page.request);
    await page.goto('/');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
    await expect(page.getByRole('heading', { name: 'Overview', level: 1 })).toBeVisible();

    await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Products' }).click();
    await page.getByRole('button', { name: 'New product' }).click();
    const form = page.locator('form', { has: page.getByRole('heading', { name: 'New product' }) });

    // Client-side checks first: nothing is sent until the fields make sense.
    await form.getByRole('button', { name: 'Create product' }).click();
    await expect(form.getByText('Enter a name.')).toBeVisible();
    await expect(form.getByText('Enter a price in dollars, e.g. 19.99.')).toBeVisible();

    // A name the catalog already has: the server's 409 lands on the name field.
    const name = unique('Admin Aurora Lamp');
    await form.getByLabel('Name').fill('Zephyr Lamp');
    await form.getByLabel('Category').selectOption({ index: 1 });
    await form.getByLabel('Price (USD)').fill('24.50');
    await form.getByLabel('Initial stock').fill('8');
    await form.getByLabel('Description').fill('A warm reading lamp.');
    await form.getByRole('button', { name: 'Create product' }).click();
    await expect(form.getByText('Another product already has this name.')).toBeVisible();
    await expect(toast(page, 'Another product already has this name')).toBeVisible();

    await form.getByLabel('Name').fill(name);
    await form.getByRole('button', { name: 'Create product' }).click();
    await expect(toast(page, `Created ${name}.`)).toBeVisible();
    await expectNoSeriousA11yViolations(page);

    await page.goto(`/?q=${encodeURIComponent(name)}`);
    await expect(page.getByRole('link', { name, exact: true })).toBeVisible();
    await page.getByRole('link', { name, exact: true }).click();
    await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
    await expect(page.getByText('$24.50').first()).toBeVisible();
  });

  test('an admin adjusts stock with a reason; taking more than there is is refused', async ({ page }) => {
    await signInAsAdmin(page.request);
    const product = await adminProduct(page.request, unique('Admin Stock Kettle'), 4);
    await searchProducts(page, product.name);
    const row = productRow(page, product.name);
    await expect(row.getByTestId('stock')).toHaveText('4');

    // The history starts empty: creating the product with stock is not a manual change.
    const historyButton = row.getByRole('button', { name: `Stock history of ${product.name}` });
    await historyButton.click();
    await expect(historyButton).toHaveAttribute('aria-expanded', 'true');
    const history = page.locator(`#stock-history-${product.id}`);
    await expect(history.getByText('No manual stock changes yet.')).toBeVisible();

    await row.getByRole('button', { name: `Adjust stock of ${product.name}` }).click();
    const form = page.getByRole('form', { name: `Adjust stock of ${product.name}` });
    await form.getByLabel('Change (+/−)').fill('6');
    await form.getByLabel('Reason').selectOption('Received shipment');
    await form.getByRole('button', { name: 'Apply' }).click();
    await expect(toast(page, `${product.name}: stock +6 (Received shipment), now 10.`)).toBeVisible();
    await expect(row.getByTestId('stock')).toHaveText('10');

    // The open history refreshes after the adjustment.
    const trail = history.getByRole('table', {
      name: `Manual stock changes of ${product.name}, newest first`,
    });
    const entries = trail.getByTestId('stock-history-entry');
    await expect(entries).toHaveCount(1);
    const cells = (n: number) => entries.nth(n).getByRole('cell');
    await expect(cells(0)).toHaveText(['+6', '10', 'Received shipment', 'admin']);
    await expect(trail.getByRole('columnheader')).toHaveText([
      'Date',
      'Change',
      'Stock after',
      'Reason',
      'By',
    ]);

    await row.getByRole('button', { name: `Adjust stock of ${product.name}` }).click();
    await form.getByLabel('Change (+/−)').fill('-11');
    await form.getByLabel('Reason').selectOption('Damaged or lost');
    await form.getByRole('button', { name: 'Apply' }).click();
    await expect(form.getByText('Only 10 in stock: cannot remove 11.')).toBeVisible();
    await expect(toast(page, `${product.name}: Only 10 in stock`)).toBeVisible();
    await expect(row.getByTestId('stock')).toHaveText('10');

    // One more accepted change: the history, read again after both, lists it above the first and
    // has nothing of the refused one.
    await form.getByLabel('Change (+/−)').fill('-2');
    await form.getByLabel('Reason').selectOption('Stock count correction');
    await form.getByRole('button', { name: 'Apply' }).click();
    await expect(toast(page, `${product.name}: stock -2 (Stock count correction), now 8.`)).toBeVisible();
    await expect(entries).toHaveCount(2);
    await expect(cells(0)).toHaveText(['−2', '8', 'Stock count correction', 'admin']);
    await expect(cells(1)).toHaveText(['+6', '10', 'Received shipment', 'admin']);
    await expect(trail).not.toContainText('Damaged or lost');
    await expect(trail).not.toContainText('−11');
    await expectNoSeriousA11yViolations(page);

    const res = await page.request.get(`/api/products/${product.id}`);
    expect((await res.json()).stock).toBe(8);
  });

  test('a stock history that cannot be loaded says so in a notification', async ({ page }) => {
    await signInAsAdmin(page.request);
    const product = await adminProduct(page.request, unique('Admin History Vase'), 2);
    await page.route(`**/api/admin/products/${product.id}/stock-adjustments`, (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/problem+json',
        body: JSON.stringify({ status: 503, code: 'unavailable', detail: 'The database is busy' }),
      }),
    );
    await searchProducts(page, product.name);
    await productRow(page, product.name)
      .getByRole('button', { name: `Stock history of ${product.name}` })
      .click();
    // Server errors are retried twice before they count.
    await expect(
      toast(page, `Could not load the stock history of ${product.name}. The database is busy`),
    ).toBeVisible({ timeout: 15_000 });
    await expect(page.getByText('The stock history could not be loaded.')).toBeVisible();
  });

  test('an admin edits a product: the server’s 422 shows on the field, an image upload replaces the picture', async ({
    page,
  }) => {
    await signInAsAdmin(page.request);
    const product = await adminProduct(page.request, unique('Admin Edit Teapot'), 3);
    await searchProducts(page, product.name);
    const row = productRow(page, product.name);
    await row.getByRole('button', { name: `Edit ${product.name}` }).click();
    const form = page.locator('form', { has: page.getByRole('heading', { name: `Edit ${product.name}` }) });

    // Well-formed but above the catalog's maximum: only the server knows, and says which field.
    await form.getByLabel('Price (USD)').fill('2000000');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await expect(form.locator('#field-priceCents-error')).toBeVisible();
    await expect(form.getByLabel('Price (USD)')).toHaveAttribute('aria-invalid', 'true');
    await expect(page.locator('.toast--error')).toBeVisible();

    await form.getByLabel('Price (USD)').fill('31.25');
    await form.getByLabel(/^Image/).setInputFiles({ name: 'teapot.png', mimeType: 'image/png', buffer: PNG });
    await form.getByRole('button', { name: 'Save changes' }).click();
    await expect(toast(page, `Saved ${product.name}.`)).toBeVisible();
    await expect(row.getByRole('cell', { name: '$31.25' })).toBeVisible();
    await expect(row.locator('img')).toHaveAttribute('src', /^\/uploads\//);
    const saved = await (await page.request.get(`/api/products/${product.id}`)).json();
    expect(saved).toMatchObject({ priceCents: 3125, imageUrl: expect.stringMatching(/^\/uploads\//) });
  });

  test('archiving a product that is in a closed order hides it from the shop and keeps the history', async ({
    page,
  }) => {
    await signInAsAdmin(page.request);
    const product = await adminProduct(page.request, unique('Admin Archive Mug'), 5);

    // A customer buys it in their own browser context.
    const customer = await playwrightRequest.newContext({ baseURL: test.info().project.use.baseURL });
    await signUp(customer);
    expect(
      (await customer.post('/api/cart/items', { data: { productId: product.id, quantity: 2 } })).status(),
    ).toBe(200);
    const checkout = await customer.post('/api/cart/checkout', {
      data: { shippingAddress: '1 Archive Way' },
    });
    expect(checkout.status()).toBe(201);
    const order = await checkout.json();

    await searchProducts(page, product.name);
    const row = productRow(page, product.name);
    await row.getByRole('button', { name: `Archive ${product.name}` }).click();
    await row.getByRole('button', { name: `Confirm archiving ${product.name}` }).click();
    await expect(
      toast(page, `Archived ${product.name}: hidden from the shop, kept in order history.`),
    ).toBeVisible();
    await expect(row.getByText('archived', { exact: true })).toBeVisible();

    // Gone from the shop…
    await page.goto(`/?q=${encodeURIComponent(product.name)}`);
    await expect(page.getByText(/no products/i).first()).toBeVisible();
    await expect(page.getByRole('link', { name: product.name, exact: true })).toHaveCount(0);
    expect((await page.request.get(`/api/products/${product.id}`)).status()).toBe(404);

    // …but the customer's order and the admin's order view still show it at the price paid.
    const history = await (await customer.get(`/api/orders/${order.id}`)).json();
    expect(history.lines).toEqual([
      expect.objectContaining({ productId: product.id, name: product.name, quantity: 2 }),
    ]);
    await customer.dispose();

    await page.goto(`/admin/orders/${order.id}`);
    const detail = page.getByTestId('admin-order');
    await expect(detail.getByRole('rowheader', { name: product.name })).toBeVisible();
    await expect(detail.getByTestId('admin-order-total')).toHaveText('$39.98');
  });

  test('orders of every customer filter by status and open in detail', async ({ page }) => {
    await signInAsAdmin(page.request);
    await page.goto('/admin/orders');
    await page.getByLabel('Status').selectOption('CLOSED');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect(page).toHaveURL(/status=CLOSED/);
    const rows = page.getByTestId('admin-order-row');
    await expect(rows.first()).toBeVisible();
    await expect(rows.filter({ hasText: 'Open cart' })).toHaveCount(0);
    await rows
      .first()
      .getByRole('link', { name: /^#[0-9A-Z]{7}$/ })
      .click();
    await expect(page.getByRole('heading', { name: /^Order #\w+/, level: 1 })).toBeVisible();
    await expect(page.getByTestId('admin-order-total')).toHaveText(/^\$\d/);
  });

  test('customers sort by churn probability and open with their prediction explained', async ({ page }) => {
    await signInAsAdmin(page.request);
    await page.goto('/admin/customers?status=ok');
    const table = page.getByTestId('customers-table');
    await expect(table.getByTestId('customer-row').first()).toBeVisible();
    // Highest risk first by default; a click turns the order round, another turns it back.
    const churnColumn = async () =>
      (await table.getByTestId('customer-row').locator('td:nth-child(2)').allInnerTexts()).map((p) =>
        Number.parseFloat(p),
      );
    await expect(table.getByRole('columnheader', { name: /Churn probability/ })).toHaveAttribute(
      'aria-sort',
      'descending',
    );
    const ordered = (direction: 1 | -1) => async () => {
      const values = await churnColumn();
      return values.length > 1 && values.every((v, i) => i === 0 || direction * (v - values[i - 1]) >= 0);
    };
    await expect.poll(ordered(-1)).toBe(true);
    await table.getByRole('button', { name: /Churn probability/ }).click();
    await expect(page).toHaveURL(/sort=churnProbability/);
    await expect(table.getByRole('columnheader', { name: /Churn probability/ })).toHaveAttribute(
      'aria-sort',
      'ascending',
    );
    await expect.poll(ordered(1)).toBe(true);
    await table.getByRole('button', { name: /Predicted spend/ }).click();
    await expect(page).toHaveURL(/sort=-predictedSpendCents/);
    await expect(table.getByText('synthetic').first()).toBeVisible();

    await table.getByTestId('customer-row').first().getByRole('link').click();
    await expect(page.getByTestId('prediction-churn')).toBeVisible();
    await expect(page.getByTestId('prediction-explanation')).toBeVisible();
    await expect(page.getByRole('heading', { name: /Orders \(\d+\)/ })).toBeVisible();
    await expect(page.getByTestId('recent-events').locator('li').first()).toBeVisible();
  });

  test('the models page charts render with data points', async ({ page }) => {
    // Six charts and an axe run; the page's first answers wait while the trainer scores the demo
    // history right after start-up, seconds on a busy machine.
    test.setTimeout(90_000);
    await signInAsAdmin(page.request);
    await page.goto('/admin/models');
    await expect(page.getByTestId('active-churn').getByRole('table')).toBeVisible({ timeout: 30_000 });
    await expect(
      page.getByTestId('active-spend').getByRole('rowheader', { name: 'Spend MAE' }),
    ).toBeVisible();

    // One point per model version (a single version draws a dot but no line).
    for (const id of ['churn-history-chart', 'spend-history-chart', 'calibration-chart']) {
      const dots = page.getByTestId(id).locator('.recharts-line-dots circle');
      await expect(dots.first()).toBeAttached();
      expect(await dots.count(), id).toBeGreaterThan(0);
    }
    // The calibration curve joins several probability bands.
    await expect(page.getByTestId('calibration-chart').locator('path.recharts-line-curve')).toHaveAttribute(
      'd',
      /^M[\d.]+,[\d.]+L/,
    );
    for (const id of ['decile-chart', 'risk-distribution-chart', 'data-volume-chart']) {
      const bars = page.getByTestId(id).locator('.recharts-bar-rectangle path');
      await expect(bars.first()).toBeVisible();
      expect(await bars.count(), id).toBeGreaterThan(0);
    }
    await expectNoSeriousA11yViolations(page);
    const dataset = await page.request.get('/api/ml/dataset.csv');
    expect(dataset.status()).toBe(200);
    await expect(page.getByRole('link', { name: 'Download the training dataset (CSV)' })).toHaveAttribute(
      'href',
      '/api/ml/dataset.csv',
    );

    await page.goto('/admin');
    await expect(page.getByTestId('revenue-chart').locator('path.recharts-line-curve')).toHaveAttribute(
      'd',
      /^M[\d.]+,[\d.]+L/,
    );
    expect(
      await page.getByTestId('revenue-chart').locator('.recharts-bar-rectangle path').count(),
    ).toBeGreaterThan(0);
  });

  test('Retrain adds a new version with metrics and says what it promoted or rejected; Activate asks, rolls back to an older one and follows the rescoring', async ({
    page,
  }) => {
    // A training run and then a rescoring on a shared, slow machine: each may take a while.
    test.setTimeout(300_000);
    await signInAsAdmin(page.request);
    const before = (await (await page.request.get('/api/ml/models')).json()) as MlModelRow[];
    const newestBefore = Math.max(0, ...before.map((m) => m.id));

    await recordToasts(page);
    await page.goto('/admin/models');
    const [retrained] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/ml/retrain') && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Retrain' }).click(),
    ]);
    expect(retrained.status()).toBe(202);
    const { jobId } = (await retrained.json()) as { jobId: number };
    await toastShown(page, new RegExp(`^Training job #${jobId} queued\\.$`));
    await expect(page.getByTestId('ml-job')).toContainText(`Job #${jobId} (started by an admin)`, {
      timeout: 30_000,
    });
    await expect(page.getByTestId('job-status')).toHaveText('done', { timeout: 150_000 });
    await expect(page.getByTestId('job-log')).not.toBeEmpty();

    // The end is announced with what became of each version it made, as the server has it.
    const job = (await (await page.request.get(`/api/ml/jobs/${jobId}`)).json()) as MlJobRow;
    expect(job.status).toBe('done');
    expect(job.modelIds.length).toBeGreaterThanOrEqual(2);
    const models = (await (await page.request.get('/api/ml/models')).json()) as MlModelRow[];
    const outcome = job.modelIds.map((id) => {
      const m = models.find((x) => x.id === id);
      expect(m, `version #${id}`).toBeTruthy();
      return `${m?.kind} model #${id} ${m?.status === 'rejected' ? 'rejected' : 'promoted'}`;
    });
    const [finished, ...again] = await toastShown(page, new RegExp(`^Training job #${jobId} finished\\.`));
    expect(again).toEqual([]);
    for (const words of outcome) expect(finished?.toLowerCase()).toContain(words.toLowerCase());

    // The recent runs list it first, with the versions it made.
    const runs = page.getByRole('table', { name: 'Recent training runs' });
    await expect(runs.getByRole('columnheader')).toHaveText([
      'Job',
      'Trigger',
      'Status',
      'Queued',
      'Finished',
      'Versions',
    ]);
    const run = runs.getByTestId('recent-job').first();
    await expect(run).toHaveAttribute('data-job-id', String(jobId));
    await expect(run.getByRole('rowheader')).toHaveText(`#${jobId}`);
    await expect(run.getByRole('cell').nth(0)).toHaveText('started by an admin');
    await expect(run.getByRole('cell').nth(1)).toHaveText('done');
    await expect(run.getByRole('cell').nth(3)).not.toHaveText('—');
    await expect(run.getByRole('cell').nth(4)).toHaveText(job.modelIds.map((id) => `#${id}`).join(', '));

    // Its versions appear in the table with their metrics; the page reloaded them by itself.
    for (const id of job.modelIds) {
      expect(id).toBeGreaterThan(newestBefore);
      await expect(
        page.locator(`[data-testid="model-version"][data-model-id="${id}"] td.num`).first(),
      ).toHaveText(/^(AUC \d|Spend MAE \$)/);
    }

    // A rejected version leaves nothing older to roll back to: it is made active outside the
    // console first (and its rescoring awaited), so the oldest version is then the older one.
    const newChurn = Math.max(
      ...job.modelIds.filter((id) => models.find((m) => m.id === id)?.kind === 'churn'),
    );
    if (models.find((m) => m.id === newChurn)?.status !== 'active') {
      const res = await page.request.post(`/api/ml/models/${newChurn}/activate`);
      expect(res.status(), await res.text()).toBe(200);
      const { rescoreJobId } = (await res.json()) as { rescoreJobId: number };
      await expect
        .poll(
          async () =>
            ((await (await page.request.get(`/api/ml/jobs/${rescoreJobId}`)).json()) as MlJobRow).status,
          { timeout: 150_000, intervals: [500, 1000] },
        )
        .toBe('done');
      await page.reload();
    }

    // The active churn model's card names it, as the server has it.
    const current = (await (await page.request.get('/api/ml/models')).json()) as MlModelRow[];
    const activeChurn = current.find((m) => m.kind === 'churn' && m.status === 'active');
    expect(activeChurn?.id).toBe(newChurn);
    const card = page.getByTestId('active-churn');
    await expect(card.getByRole('heading')).toContainText(`#${newChurn}`);
    await expect(page.getByTestId('active-churn-name')).toContainText(`(${activeChurn?.algorithm})`);

    // Roll back to the oldest churn version.
    const target = current.filter((m) => m.kind === 'churn').sort((a, b) => a.id - b.id)[0];
    expect(target?.id).toBeLessThan(newChurn);
    const targetId = target?.id ?? 0;
    const row = page.locator(`[data-testid="model-version"][data-model-id="${targetId}"]`);
    const asked = new Promise<string>((resolve) =>
      page.once('dialog', (dialog) => {
        resolve(dialog.message());
        void dialog.accept();
      }),
    );
    const [activation] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`/api/ml/models/${targetId}/activate`)),
      row.getByRole('button', { name: `Activate model ${targetId}` }).click(),
    ]);
    expect(await asked).toContain(`#${targetId}`);
    expect(await asked).toContain(`instead of #${activeChurn?.id}`);
    expect(activation.status()).toBe(200);
    const { rescoreJobId: rescoreId } = (await activation.json()) as { rescoreJobId: number };
    await toastShown(
      page,
      new RegExp(
        `^${escapeRegExp(`Activated churn model #${targetId}. Predictions are being recomputed in the background (job #${rescoreId}).`)}$`,
      ),
    );
    expect(rescoreId).toBeGreaterThan(jobId);
    await expect(row).toHaveAttribute('data-status', 'active');
    await expect(card.getByRole('heading')).toContainText(`#${targetId}`);
    const status = (await (await page.request.get('/api/ml/status')).json()) as {
      activeModels: { id: number; kind: string }[];
    };
    expect(status.activeModels.filter((m) => m.kind === 'churn').map((m) => m.id)).toEqual([targetId]);
    const after = (await (await page.request.get('/api/ml/models')).json()) as MlModelRow[];
    expect(after.filter((m) => m.kind === 'churn' && m.status === 'active').map((m) => m.id)).toEqual([
      targetId,
    ]);

    // The rescoring runs in the background; the job panel follows it to its end.
    await expect(page.getByTestId('ml-job')).toContainText(
      `Job #${rescoreId} (rescoring after an activation)`,
      { timeout: 30_000 },
    );
    await expect(page.getByTestId('job-status')).toHaveText('done', { timeout: 150_000 });
    await toastShown(
      page,
      new RegExp(`^Rescoring job #${rescoreId} finished: every prediction now uses the active models\\.$`),
    );
    const rescore = (await (await page.request.get(`/api/ml/jobs/${rescoreId}`)).json()) as MlJobRow;
    expect(rescore.status).toBe('done');
    await expect(runs.getByTestId('recent-job').first()).toHaveAttribute('data-job-id', String(rescoreId));
  });

  test('a training run queued outside the console shows in the job panel and is followed to its end without a reload', async ({
    page,
  }) => {
    test.setTimeout(240_000);
    await signInAsAdmin(page.request);
    // Queued with the admin's session but without the Retrain button: this page did not start it.
    const res = await page.request.post('/api/ml/retrain');
    expect(res.status(), await res.text()).toBe(202);
    const { jobId } = (await res.json()) as { jobId: number };

    // A demo-sized run may end before the page first asks. Until `released`, the lists the page
    // gets show it running, as a longer run would be; then they are the server's own, so only the
    // page's polling can bring its end.
    let released = false;
    let lists = 0;
    await page.route(/\/api\/ml\/jobs\?/, async (route) => {
      const response = await route.fetch();
      const jobs = (await response.json()) as MlJobRow[];
      lists += 1;
      if (!released) {
        for (const job of jobs)
          if (job.id === jobId)
            Object.assign(job, { status: 'running', progress: 0.5, finishedAt: null, modelIds: [] });
      }
      await route.fulfill({ response, json: jobs });
    });

    await recordToasts(page);
    await page.goto('/admin/models');
    const runs = page.getByRole('table', { name: 'Recent training runs' });
    const run = runs.locator(`[data-testid="recent-job"][data-job-id="${jobId}"]`);
    await expect(runs.getByTestId('recent-job').first()).toHaveAttribute('data-job-id', String(jobId));
    await expect(page.getByTestId('ml-job')).toContainText(`Job #${jobId} (started by an admin)`);
    await expect(page.getByTestId('job-status')).toHaveText('running');
    await expect(run.getByRole('cell').nth(1)).toHaveText('running');
    await expect(run.getByRole('cell').nth(3)).toHaveText('—');
    // Polled while under way.
    const seen = lists;
    await expect.poll(() => lists, { timeout: 10_000 }).toBeGreaterThan(seen + 1);

    released = true;
    await expect(page.getByTestId('job-status')).toHaveText('done', { timeout: 150_000 });
    const job = (await (await page.request.get(`/api/ml/jobs/${jobId}`)).json()) as MlJobRow;
    expect(job.status).toBe('done');
    const finished = await toastShown(
      page,
      new RegExp(`^Training job #${jobId} finished\\. .*(promoted|rejected)`),
    );
    await expect(run.getByRole('cell').nth(0)).toHaveText('started by an admin');
    await expect(run.getByRole('cell').nth(1)).toHaveText('done');
    await expect(run.getByRole('cell').nth(4)).toHaveText(job.modelIds.map((id) => `#${id}`).join(', '));
    await expect(page.getByTestId('job-log')).not.toBeEmpty();
    await expect(page.getByTestId('job-log')).toContainText(
      job.log.trim().split('\n').at(-1)?.replace(/^\S+ /, '') ?? '',
    );
    // Announced once, like a run started here.
    expect(finished).toHaveLength(1);
    expect(
      (await shownToasts(page)).filter((t) => t.startsWith(`Training job #${jobId} finished`)),
    ).toHaveLength(1);
    // Its versions were reloaded without a reload of the page.
    for (const id of job.modelIds)
      await expect(page.locator(`[data-testid="model-version"][data-model-id="${id}"]`)).toBeVisible();
    await expectNoSeriousA11yViolations(page);

    // Nothing under way any more: the list is no longer polled.
    await page.waitForTimeout(1500);
    const settled = lists;
    await page.waitForTimeout(2500);
    expect(lists).toBe(settled);
  });

  test('no training runs yet: an empty state; runs that cannot be loaded: a notification', async ({
    page,
  }) => {
    await signInAsAdmin(page.request);
    await page.route(/\/api\/ml\/jobs\?/, (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: '[]' }),
    );
    await page.goto('/admin/models');
    await expect(page.getByText('No training runs yet.')).toBeVisible();
    await expect(page.getByText('No training job yet: press Retrain to start one.')).toBeVisible();
    await expect(page.getByRole('table', { name: 'Recent training runs' })).toHaveCount(0);

    await page.unroute(/\/api\/ml\/jobs\?/);
    await page.route(/\/api\/ml\/jobs\?/, (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/problem+json',
        body: JSON.stringify({ status: 503, code: 'unavailable', detail: 'The database is busy' }),
      }),
    );
    await page.reload();
    // Server errors are retried twice before they count.
    await expect(toast(page, 'Could not load the recent training runs. The database is busy')).toBeVisible({
      timeout: 15_000,
    });
    await expect(toast(page, 'Could not load the recent training runs.')).toHaveCount(1);
    await expect(page.getByText('The recent training runs could not be loaded.')).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Versions', exact: true })).toBeVisible();
  });

  test('a customer sees no admin navigation or content, and the admin API answers 403', async ({ page }) => {
    await signUp(page.request);
    await page.goto('/');
    await expect(
      page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Shop' }),
    ).toBeVisible();
    await expect(
      page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin', exact: true }),
    ).toHaveCount(0);

    await page.goto('/admin/products');
    await expect(page.getByRole('heading', { name: 'Admins only' })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Admin' })).toHaveCount(0);
    await expect(page.getByRole('heading', { name: 'Products' })).toHaveCount(0);

    for (const path of [
      '/api/admin/overview',
      '/api/admin/orders',
      '/api/admin/products',
      '/api/ml/models',
    ]) {
      const res = await page.request.get(path);
      expect(res.status(), path).toBe(403);
      expect((await res.json()).code).toBe('forbidden');
    }
    const create = await page.request.post('/api/admin/products', { data: { name: 'Sneaky' } });
    expect(create.status()).toBe(403);
  });
});
