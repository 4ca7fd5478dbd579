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
    await expect(panel.getByLabel('Ask the shopping assistant')).toBeDisabled();

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
  test('a guest sees the prompts left fall and is stopped after the fifth answer', async ({ page }) => {
    await page.goto('/');
    // Keyboard only: the toggle opens the panel with the question box focused; Escape closes it.
    const toggle = page.getByRole('button', { name: 'Ask the assistant' });
    await toggle.focus();
    await page.keyboard.press('Enter');
    const panel = page.locator('#assistant-panel');
    const input = panel.getByLabel('Ask the shopping assistant');
    await expect(input).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(panel).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Ask the assistant' })).toBeFocused();
    await page.keyboard.press('Enter');
    const left = panel.getByTestId('prompts-left');
    await expect(left).toHaveText('5 of 5 prompts left in this chat');

    const replies = panel.locator('.chat-msg--assistant .chat-msg__bubble');
    const questions = [
      'Do you have a Quokka Desk?',
      'Which categories do you have?',
      'What is your return policy?',
      'Is the Wombat Kite in stock?',
      'How much is the Zephyr Lamp?',
    ];
    for (const [i, question] of questions.entries()) {
      await input.fill(question);
      await input.press('Enter');
      await expect(left).toHaveText(`${4 - i} of 5 prompts left in this chat`);
      await expect(replies).toHaveCount(i + 1);
      await expect(replies.nth(i)).not.toBeEmpty();
      if (i === 0) {
        // The first answer shows the product it found as a card.
        const card = panel.locator('.chat-product').filter({ hasText: 'Quokka Desk' }).first();
        await expect(card).toContainText('$40.00');
        await expect(card.getByRole('link', { name: 'Quokka Desk' })).toHaveAttribute(
          'href',
          /\/products\/\d+$/,
        );
        await expect(card.getByRole('button', { name: 'Add Quokka Desk to cart' })).toBeVisible();
      }
    }
    await expect(replies.nth(4)).toContainText('$12.00');

    // Stopped: a clear message, no way to type, and the server agrees.
    await expect(panel.getByRole('alert')).toContainText('You have used all 5 prompts in this chat.');
    await expect(input).toBeDisabled();
    await expect(panel.getByRole('button', { name: 'Send' })).toBeDisabled();
    await expect(panel.getByRole('button', { name: 'Start a new chat' })).toBeVisible();
    await expectNoSeriousA11yViolations(page);
    const sessionId = await page.evaluate(() => sessionStorage.getItem('cartwise.assistant.session'));
    const refused = await page.request.post(`/api/assistant/sessions/${sessionId}/messages`, {
      data: { message: 'One more?' },
    });
    expect(refused.status()).toBe(429);
    expect((await refused.json()).code).toBe('prompt_limit_reached');

    // A guest's Add on a product card fills the guest cart kept in the browser.
    await panel.getByRole('button', { name: 'Add Quokka Desk to cart' }).first().click();
    await expect(toast(page, 'Added 1 × Quokka Desk to your cart.')).toBeVisible();
    await expect(page.getByTestId('cart-count')).toContainText('1');
  });

  test("shows the server's 429 when the chat was used up elsewhere, then starts a new chat", async ({
    page,
  }) => {
    await page.goto('/assistant');
    const left = page.getByTestId('prompts-left');
    await expect(left).toHaveText('5 of 5 prompts left in this chat');
    // Another tab with the same chat (same guest cookie) spends all five prompts.
    const sessionId = await page.evaluate(() => sessionStorage.getItem('cartwise.assistant.session'));
    for (let i = 0; i < 5; i++) {
      const res = await page.request.post(`/api/assistant/sessions/${sessionId}/messages`, {
        data: { message: 'Which categories do you have?' },
      });
      expect(res.status()).toBe(200);
    }
    const input = page.getByLabel('Ask the shopping assistant');
    await input.fill('Do you have a Wombat Scarf?');
    await page.getByRole('button', { name: 'Send' }).click();
    const limit = page.getByRole('alert').filter({ hasText: 'You have used all 5 prompts in this chat.' });
    await expect(limit).toContainText('This chat has used all of its 5 prompts; start a new chat');
    await expect(toast(page, 'This chat has used all of its 5 prompts; start a new chat')).toBeVisible();
    await expect(left).toHaveText('0 of 5 prompts left in this chat');
    await expect(input).toBeDisabled();
    await expect(page.locator('.chat-msg')).toHaveCount(0);

    await page.getByRole('button', { name: 'Start a new chat' }).click();
    await expect(left).toHaveText('5 of 5 prompts left in this chat');
    await expect(input).toBeEnabled();
    await expect(input).toHaveValue('Do you have a Wombat Scarf?');
    await input.press('Enter');
    await expect(left).toHaveText('4 of 5 prompts left in this chat');
    await expect(page.locator('.chat-product').filter({ hasText: 'Wombat Scarf' }).first()).toContainText(
      '$15.00',
    );
  });
  test('marks an answer the offline engine wrote while the AI model is configured, and reports a lost connection', async ({
    page,
  }) => {
    // The server runs without a model key; this status reply says a model is configured, so the
    // real offline answers below are what a shopper sees when that model fails.
    await page.route('**/api/assistant/status', async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, json: { engine: 'openai', model: 'gpt-4o' } });
    });
    await page.goto('/assistant');
    await expect(page.getByText('AI model: gpt-4o')).toBeVisible();
    const input = page.getByLabel('Ask the shopping assistant');
    await input.fill('Is the Wombat Kite in stock?');
    await input.press('Enter');
    await expect(page.getByTestId('prompts-left')).toHaveText('4 of 5 prompts left in this chat');
    await expect(page.locator('.chat-msg--assistant .chat-msg__offline')).toHaveText('Answered offline');
    await expect(page.getByText('AI model unavailable · answering offline')).toBeVisible();

    await page.route('**/api/assistant/sessions/*/messages', (route) => route.abort('internetdisconnected'));
    await input.fill('And the Wombat Scarf?');
    await input.press('Enter');
    await expect(toast(page, 'Cannot reach the store. Check your connection and try again.')).toBeVisible();
    await expect(input).toHaveValue('And the Wombat Scarf?');
    await expect(page.locator('.chat-msg')).toHaveCount(2);
    await expect(page.getByTestId('prompts-left')).toHaveText('4 of 5 prompts left in this chat');

    await page.unroute('**/api/assistant/sessions/*/messages');
    await input.press('Enter');
    await expect(page.getByTestId('prompts-left')).toHaveText('3 of 5 prompts left in this chat');
    await expect(page.locator('.chat-msg')).toHaveCount(4);
  });
  test('clears the chat on screen when the shopper logs in, so the next person sees none of it', async ({
    page,
  }) => {
    const user = await signUp(page.request);
    await page.request.post('/api/auth/logout');
    await page.goto('/');
    await page.getByRole('button', { name: 'Ask the assistant' }).click();
    const panel = page.locator('#assistant-panel');
    const input = panel.getByLabel('Ask the shopping assistant');
    await input.fill('Do you have a Quokka Chair?');
    await input.press('Enter');
    await expect(panel.getByTestId('prompts-left')).toHaveText('4 of 5 prompts left in this chat');

    await page.getByRole('link', { name: 'Login' }).click();
    await page.getByLabel('Username').fill(user.username);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page.getByRole('button', { name: 'Logout' })).toBeVisible();
    await expect(panel.locator('.chat-msg')).toHaveCount(0);
    await expect(panel.getByTestId('prompts-left')).toHaveText('5 of 5 prompts left in this chat');

    await input.fill('Do you have a Quokka Chair?');
    await input.press('Enter');
    await panel.getByRole('button', { name: 'Add Quokka Chair to cart' }).first().click();
    await expect(toast(page, 'Added 1 × Quokka Chair to your cart.')).toBeVisible();
    await page.getByRole('button', { name: 'Logout' }).click();
    await expect(page.getByRole('link', { name: 'Login' })).toBeVisible();
    await expect(panel.locator('.chat-msg')).toHaveCount(0);
    await expect(panel.getByTestId('prompts-left')).toHaveText('5 of 5 prompts left in this chat');
  });
  test('recovers when the assistant could not be reached on load', async ({ page }) => {
    await page.route('**/api/assistant/**', (route) => route.abort('connectionrefused'));
    await page.goto('/assistant');
    const left = page.getByTestId('prompts-left');
    await expect(left).toHaveText('Assistant unavailable');
    await expect(page.getByText('AI model unavailable · answering offline')).toBeVisible();

    await page.unroute('**/api/assistant/**');
    const input = page.getByLabel('Ask the shopping assistant');
    await input.fill('Which categories do you have?');
    await input.press('Enter');
    await expect(left).toHaveText('4 of 5 prompts left in this chat');
    await expect(page.locator('.chat-msg--assistant')).toContainText('e2e-fixtures');
  });
});
