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
