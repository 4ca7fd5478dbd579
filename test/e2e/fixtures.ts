import { AxeBuilder } from '@axe-core/playwright';
import { type APIRequestContext, expect, type Page } from '@playwright/test';

/** Products the global setup inserts; unusual names keep them apart from the demo catalog. */
export const FIXTURES = [
  { name: 'Zephyr Lamp', priceCents: 1200, stock: 7, categorySlug: 'e2e-fixtures' },
  { name: 'Zephyr Mug', priceCents: 2500, stock: 0, categorySlug: 'e2e-fixtures' },
  { name: 'Quokka Desk', priceCents: 4000, stock: 3, categorySlug: 'e2e-fixtures' },
  { name: 'Quokka Chair', priceCents: 2500, stock: 12, categorySlug: 'e2e-fixtures' },
  { name: 'Wombat Kite', priceCents: 900, stock: 2, categorySlug: 'e2e-extra' },
  { name: 'Wombat Scarf', priceCents: 1500, stock: 40, categorySlug: 'e2e-extra' },
];

let counter = 0;
export function newUser() {
  counter += 1;
  const username = `shopper_${Date.now().toString(36)}_${process.pid % 1000}_${counter}`;
  return {
    username,
    password: 'correct-horse-battery',
    email: `${username}@example.com`,
    firstName: 'Ada',
    lastName: 'Lovelace',
    phone: '+1 555 0100',
    country: 'United States',
    city: 'Springfield',
  };
}

/** Registers through the API on the page's own cookie jar, so the browser is signed in. */
export async function signUp(request: APIRequestContext) {
  const user = newUser();
  const res = await request.post('/api/auth/register', { data: user });
  expect(res.status(), await res.text()).toBe(201);
  return user;
}

export async function productId(request: APIRequestContext, name: string): Promise<number> {
  const res = await request.get(`/api/products?q=${encodeURIComponent(name)}`);
  const body = await res.json();
  const found = body.items.find((p: { name: string }) => p.name === name);
  expect(found, `fixture ${name}`).toBeTruthy();
  return found.id;
}

export function toast(page: Page, text: string | RegExp) {
  return page.locator('.toast').filter({ hasText: text });
}

export function row(page: Page, name: string) {
  return page.getByTestId('product-row').filter({ has: page.getByRole('link', { name, exact: true }) });
}

export async function expectNoSeriousA11yViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
  ).toEqual([]);
}
