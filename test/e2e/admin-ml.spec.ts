import { type APIRequestContext, expect, test } from '@playwright/test';
import { toast } from './fixtures.ts';

// The console's customer and model pages as a shop owner reads them (issue 13), on a desktop
// and on a phone.
const ADMIN = { username: 'admin', password: 'admin-demo-pass' };
async function signInAsAdmin(request: APIRequestContext) {
  const res = await request.post('/api/auth/login', { data: ADMIN });
  expect(res.status(), await res.text()).toBe(200);
}

for (const size of [
  { width: 1280, height: 800 },
  { width: 375, height: 812 },
]) {
  test.describe(`console ML pages at ${size.width}x${size.height}`, () => {
    test.use({ viewport: size });

    test('customers: search, hide synthetic ones, riskiest first, a prediction in words', async ({
      page,
    }) => {
      await signInAsAdmin(page.request);
      await page.goto('/admin/customers?status=ok');
      const table = page.getByTestId('customers-table');
      await expect(table.getByTestId('customer-row').first()).toBeVisible();
      const risks = async () =>
        await table
          .getByTestId('customer-risk')
          .evaluateAll((cells) => cells.map((c) => Number(c.getAttribute('data-churn'))));
      const listed = await risks();
      expect(listed).toEqual([...listed].sort((a, b) => b - a));
      await expect(table.getByTestId('customer-risk').first()).toContainText(
        /likely to churn|at risk|likely to order again/,
      );
      // The demo history is synthetic: hiding it leaves no scored customer.
      await page.getByLabel('Hide synthetic customers').check();
      await expect(page).toHaveURL(/synthetic=exclude/);
      await expect(page.getByTestId('customers-empty')).toBeVisible();
      await page.getByLabel('Hide synthetic customers').uncheck();
      const first = table.getByTestId('customer-row').first();
      const name = (await first.getByRole('link').textContent())?.trim() ?? '';
      expect(name).not.toBe('');
      await page.getByLabel('Search customers').fill(name);
      await page.getByRole('button', { name: 'Search' }).click();
      await expect(page).toHaveURL(/q=/);
      await expect(table.getByTestId('customer-row').first().getByRole('link')).toHaveText(name);
      await table.getByTestId('customer-row').first().getByRole('link').click();
      await expect(page.getByTestId('prediction-sentence')).toHaveText(
        /(Usually orders every \d+ days|Has ordered once); last order \d+ days? ago; (likely to churn|at risk of churning|likely to order again)\./,
      );
      await expect(page.getByTestId('prediction-explanation')).not.toContainText('log-odds');
      await expect(page.getByTestId('prediction-explanation')).not.toContainText('—');
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(size.width);
    });

    test('models: the active model is named, Activate asks first, the rescoring is announced', async ({
      page,
    }) => {
      await signInAsAdmin(page.request);
      await page.goto('/admin/models');
      await expect(page.getByTestId('active-churn-name')).toHaveText(
        /\((logistic-l2|bgnbd|blend-logistic)\)$/,
      );
      await expect(page.getByTestId('active-spend-name')).toHaveText(/\((bgnbd-gamma-gamma|blend-linear)\)$/);
      const candidate = page.locator('[data-testid="model-version"]:not([data-status="active"])').first();
      if ((await candidate.count()) === 0) return; // only one version per kind so far: nothing to activate
      const id = await candidate.getAttribute('data-model-id');
      page.once('dialog', (dialog) => {
        expect(dialog.message()).toContain(`#${id}`);
        void dialog.dismiss();
      });
      await candidate.getByRole('button', { name: `Activate model ${id}` }).click();
      await expect(toast(page, `Model #${id} was not activated.`)).toBeVisible();
      await expect(candidate).not.toHaveAttribute('data-status', 'active');
    });
  });
}
