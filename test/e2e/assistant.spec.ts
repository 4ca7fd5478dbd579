import { expect, test } from '@playwright/test';
import { expectNoSeriousA11yViolations, signUp, toast } from './fixtures.ts';

test.describe('shopping assistant', () => {
  test('answers in the widget with product cards, counts prompts, and stops at the limit', async ({
    page,
  }) => {
    await signUp(page.request);
    await page.goto('/');
    await page.getByRole('button', { name: 'Ask the assistant' }).click();
    const panel = page.locator('#assistant-panel');
    await expect(panel.getByTestId('prompts-left')).toHaveText('5 of 5 prompts left in this chat');

    const input = panel.getByLabel('Ask the shopping assistant');
    await input.fill('Do you have a Quokka Desk?');
    await input.press('Enter');
    await expect(panel.locator('.chat-msg--user')).toHaveText(/Quokka Desk/);
    await expect(panel.getByTestId('prompts-left')).toHaveText('4 of 5 prompts left in this chat');
    const card = panel.locator('.chat-product').filter({ hasText: 'Quokka Desk' }).first();
    await expect(card).toContainText('$40.00');
    await card.getByRole('button', { name: 'Add Quokka Desk to cart' }).click();
    await expect(toast(page, 'Added 1 × Quokka Desk to your cart.')).toBeVisible();
    await expect(page.getByTestId('cart-count')).toContainText('1');

    for (let left = 3; left >= 0; left--) {
      await input.fill(`What categories do you have? (${left})`);
      await input.press('Enter');
      await expect(panel.getByTestId('prompts-left')).toHaveText(`${left} of 5 prompts left in this chat`);
    }
    await expect(panel.getByText('You have used all 5 prompts in this chat.')).toBeVisible();
    await expect(panel.getByLabel('Ask the shopping assistant')).toHaveCount(0);

    await panel.getByRole('button', { name: 'Start a new chat' }).click();
    await expect(panel.getByTestId('prompts-left')).toHaveText('5 of 5 prompts left in this chat');
  });

  test('keeps the conversation on the Assistant page across reloads', async ({ page }) => {
    await page.goto('/assistant');
    await expect(page.getByRole('heading', { name: 'Shopping assistant', level: 1 })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Ask the assistant' })).toHaveCount(0);
    await page.getByLabel('Ask the shopping assistant').fill('Tell me about the Wombat Scarf');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect(page.locator('.chat-msg--assistant .chat-msg__bubble').last()).not.toBeEmpty();
    await expect(page.getByTestId('prompts-left')).toHaveText('4 of 5 prompts left in this chat');
    await expectNoSeriousA11yViolations(page);

    await page.reload();
    await expect(page.locator('.chat-msg--user')).toHaveText(/Wombat Scarf/);
    await expect(page.getByTestId('prompts-left')).toHaveText('4 of 5 prompts left in this chat');
  });
});
