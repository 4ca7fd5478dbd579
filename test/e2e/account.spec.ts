import { expect, test } from '@playwright/test';
import { expectNoSeriousA11yViolations, newUser, row, signUp, toast } from './fixtures.ts';

test.describe('accounts', () => {
  test('registers with inline validation and live username availability, then returns', async ({ page }) => {
    const existing = await signUp(page.request);
    await page.request.post('/api/auth/logout');

    await page.goto('/?q=wombat');
    await page.getByRole('link', { name: 'Register' }).click();
    await expect(page.getByRole('heading', { name: 'Create your account' })).toBeVisible();
    await expectNoSeriousA11yViolations(page);

    // Submitting empty shows every field's problem next to it.
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByText('Choose a username.')).toBeVisible();
    await expect(page.getByText('Enter a password.')).toBeVisible();
    await expect(page.getByText('Enter your email.')).toBeVisible();
    await expect(toast(page, 'Please fix the highlighted fields.')).toBeVisible();

    const username = page.getByLabel('Username');
    await username.fill(existing.username);
    await expect(page.getByText('That username is taken. Try another.')).toBeVisible();

    const user = newUser();
    await username.fill(user.username);
    await expect(page.getByText('This username is available.')).toBeVisible();
    await page.getByLabel('Password').fill('short');
    await page.getByLabel('Email').fill('not-an-email');
    await page.getByLabel('Email').blur();
    await expect(page.getByText('At least 8 characters.', { exact: true }).last()).toBeVisible();
    await expect(page.getByText('Enter a valid email address.')).toBeVisible();

    await page.getByLabel('Password').fill(user.password);
    await page.getByLabel('Email').fill(user.email);
    for (const [label, value] of [
      ['First name', user.firstName],
      ['Last name', user.lastName],
      ['Phone', user.phone],
      ['Country', user.country],
      ['City', user.city],
    ]) {
      await page.getByLabel(label, { exact: true }).fill(value);
    }
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(toast(page, /Welcome to Cartwise, Ada/)).toBeVisible();
    await expect(page).toHaveURL(/\/\?q=wombat$/);
    await expect(page.getByRole('button', { name: 'Logout' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Login' })).toHaveCount(0);
  });

  test('logs in (after a wrong password) and out, returning to the page it came from', async ({ page }) => {
    const user = await signUp(page.request);
    await page.request.post('/api/auth/logout');

    await page.goto('/orders');
    await expect(page).toHaveURL(/\/login$/);
    await expect(page.getByText('Log in to see that page.')).toBeVisible();
    await expectNoSeriousA11yViolations(page);

    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page.getByText('Enter your username.')).toBeVisible();

    await page.getByLabel('Username').fill(user.username);
    await page.getByLabel('Password').fill('wrong-password-123');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(toast(page, 'Login failed: wrong username or password.')).toBeVisible();
    await expect(page.locator('form').getByRole('alert')).toHaveText('Wrong username or password.');

    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page).toHaveURL(/\/orders$/);
    await expect(toast(page, 'Welcome back, Ada!')).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Orders', level: 1 })).toBeVisible();

    await page.getByRole('button', { name: 'Logout' }).click();
    await expect(toast(page, 'You are logged out.')).toBeVisible();
    await expect(page.getByRole('link', { name: 'Login' })).toBeVisible();
  });

  test('keeps favorites across logout and login', async ({ page }) => {
    const user = await signUp(page.request);
    await page.goto('/?q=quokka');
    const heart = row(page, 'Quokka Chair').getByRole('button', { name: 'Favorite Quokka Chair' });
    await expect(heart).toHaveAttribute('aria-pressed', 'false');
    await heart.click();
    await expect(toast(page, 'Saved Quokka Chair to favorites.')).toBeVisible();
    await expect(heart).toHaveAttribute('aria-pressed', 'true');

    // A second favorite, then toggled off again.
    const deskHeart = row(page, 'Quokka Desk').getByRole('button', { name: 'Favorite Quokka Desk' });
    await deskHeart.click();
    await expect(deskHeart).toHaveAttribute('aria-pressed', 'true');
    await deskHeart.click();
    await expect(toast(page, 'Removed Quokka Desk from favorites.')).toBeVisible();
    await expect(deskHeart).toHaveAttribute('aria-pressed', 'false');

    await page.getByRole('button', { name: 'Logout' }).click();
    await expect(page.getByRole('link', { name: 'Login' })).toBeVisible();
    await page.getByRole('link', { name: 'Login' }).click();
    await page.getByLabel('Username').fill(user.username);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page.getByRole('button', { name: 'Logout' })).toBeVisible();

    await page.getByRole('link', { name: 'Favorites' }).click();
    await expect(page.getByRole('heading', { name: 'Favorites' })).toBeVisible();
    const favorites = page.getByTestId('product-row');
    await expect(favorites).toHaveCount(1);
    await expect(favorites).toContainText('Quokka Chair');

    // Add to cart from favorites, then remove the favorite.
    await row(page, 'Quokka Chair').getByRole('button', { name: 'Add Quokka Chair to cart' }).click();
    await expect(toast(page, 'Added 1 × Quokka Chair to your cart.')).toBeVisible();
    await row(page, 'Quokka Chair').getByRole('button', { name: 'Favorite Quokka Chair' }).click();
    await expect(page.getByText('No favorites yet.')).toBeVisible();
  });

  test('edits the profile and deletes the account after confirmation', async ({ page }) => {
    const user = await signUp(page.request);
    await page.goto('/account');
    await expect(page.getByLabel('Username')).toHaveValue(user.username);
    await page.getByLabel('City').fill('');
    await expect(page.getByText('Enter your city.')).toBeVisible();
    await page.getByLabel('City').fill('Shelbyville');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(toast(page, 'Profile saved.')).toBeVisible();
    await page.reload();
    await expect(page.getByLabel('City')).toHaveValue('Shelbyville');

    await page.getByRole('button', { name: 'Delete account…' }).click();
    await expect(page.getByText('Are you sure? This cannot be undone.')).toBeVisible();
    await page.getByLabel('Your password').fill(user.password);
    await page.getByRole('button', { name: 'Yes, delete my account' }).click();
    await expect(toast(page, /account and all its data were deleted/)).toBeVisible();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole('link', { name: 'Login' })).toBeVisible();

    const login = await page.request.post('/api/auth/login', {
      data: { username: user.username, password: user.password },
    });
    expect(login.status()).toBe(401);
  });

  test('asks for the current password before a new password, a new e-mail or a deletion', async ({
    page,
  }) => {
    test.slow();
    const user = await signUp(page.request);
    await page.goto('/account');
    const profile = page.getByRole('form', { name: 'Profile' });
    await expect(profile.getByLabel('Current password')).toHaveCount(0);

    // A weak new password is refused as typed, by the contract's rules.
    await page.getByLabel('New password (optional)').fill(user.username);
    await expect(page.getByText('Password must not contain your username.')).toBeVisible();
    // A common one only the server knows: its answer lands on the field.
    await page.getByLabel('New password (optional)').fill('password123');
    await profile.getByLabel('Current password').fill(user.password);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(toast(page, /too common/)).toBeVisible();

    await page.getByLabel('New password (optional)').fill('a-brand-new-passphrase');
    await profile.getByLabel('Current password').fill('not-my-password');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(toast(page, /current password/i)).toBeVisible();
    await expect(page.getByText('That is not your current password.')).toBeVisible();

    await profile.getByLabel('Current password').fill(user.password);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(toast(page, 'Profile and password saved.')).toBeVisible();
    await expect(profile.getByLabel('Current password')).toHaveCount(0);

    await page.getByLabel('Email').fill(`new.${user.email}`);
    await expect(profile.getByLabel('Current password')).toBeVisible();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(page.getByText('Enter your current password to confirm.')).toBeVisible();
    await expect(toast(page, 'Please fix the highlighted fields.')).toBeVisible();
    await profile.getByLabel('Current password').fill('a-brand-new-passphrase');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(toast(page, 'Profile saved.')).toBeVisible();

    await page.getByRole('button', { name: 'Delete account…' }).click();
    await page.getByLabel('Your password').fill(user.password);
    await page.getByRole('button', { name: 'Yes, delete my account' }).click();
    await expect(toast(page, /Could not delete|current password/i)).toBeVisible();
    await expect(page.getByText('That is not your password.')).toBeVisible();
    await expect(page).toHaveURL(/\/account$/);
  });

  test('creates a personal access token, shows it once, and revokes it', async ({ page }) => {
    test.slow();
    const user = await signUp(page.request);
    await page.goto('/account');
    const panel = page.getByRole('region', { name: 'Access tokens for AI agents' });
    await expect(panel.getByText('No tokens yet.')).toBeVisible();

    await panel.getByRole('button', { name: 'Create token' }).click();
    await expect(panel.getByText('Name the token, e.g. the agent that will use it.')).toBeVisible();
    await expect(toast(page, 'Please fix the highlighted fields.')).toBeVisible();

    await panel.getByLabel('Token name').fill('Desktop agent');
    await panel.getByLabel('Scope').selectOption('shop');
    await panel.getByLabel('Expires after').selectOption('7');
    await panel.getByLabel('Current password').fill('not-my-password');
    await panel.getByRole('button', { name: 'Create token' }).click();
    await expect(panel.getByText('That is not your current password.')).toBeVisible();
    await expect(toast(page, /current password/i)).toBeVisible();

    await panel.getByLabel('Current password').fill(user.password);
    await panel.getByRole('button', { name: 'Create token' }).click();
    await expect(toast(page, /Token “Desktop agent” created/)).toBeVisible();
    const secret = (await panel.getByTestId('token-secret').textContent()) ?? '';
    expect(secret).toMatch(/^cw_pat_/);
    const tokenRow = panel.getByTestId('token-row').filter({ hasText: 'Desktop agent' });
    await expect(tokenRow).toContainText('shop');
    await expect(tokenRow).toContainText('never');
    await expectNoSeriousA11yViolations(page);

    // The secret works as a bearer token (a fresh context: no session cookie).
    const asAgent = { headers: { authorization: `Bearer ${secret}` } };
    const context = await page.context().browser()?.newContext();
    const agent = context ? context.request : page.request;
    expect((await agent.get('/api/me', asAgent)).status()).toBe(200);

    await tokenRow.getByRole('button', { name: 'Revoke Desktop agent' }).click();
    await expect(toast(page, 'Token “Desktop agent” revoked.')).toBeVisible();
    await expect(panel.getByText('No tokens yet.')).toBeVisible();
    expect((await agent.get('/api/me', asAgent)).status()).toBe(401);
    await context?.close();
  });
});
