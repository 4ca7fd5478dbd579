import { afterAll, beforeAll, expect, it } from 'vitest';
import { createProduct, createTestApp, createUser, type TestApp } from './support/app.ts';
import { describeEachDialect } from './support/databases.ts';

describeEachDialect('control characters in stored text', (dialect) => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof createUser>>;
  let categoryId: number;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await createUser(t.db, { role: 'admin' });
    const product = await createProduct(t.db, { categorySlug: 'tools' });
    categoryId = (
      await t.db
        .selectFrom('products')
        .select('category_id')
        .where('id', '=', product)
        .executeTakeFirstOrThrow()
    ).category_id;
  });
  afterAll(() => t.close());

  const refused = (res: { statusCode: number; json(): unknown }, field: string) => {
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'validation_failed', errors: [{ field }] });
  };

  it('refuses them in account fields and stores nothing', async () => {
    const register = (firstName: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/register',
        payload: {
          username: `ctl_${dialect}`,
          password: 'correct-horse-battery',
          email: `ctl_${dialect}@example.com`,
          firstName,
          lastName: 'Lovelace',
          phone: '+1 555 0100',
          country: 'UK',
          city: 'London',
        },
      });
    refused(await register('Ada\u0000'), 'firstName');
    refused(await register('Ada\nLovelace'), 'firstName');
    refused(await register('Ada\u001b[31m'), 'firstName');
    refused(await register('Ada\u0085'), 'firstName');
    expect(
      await t.db.selectFrom('users').select('id').where('username', '=', `ctl_${dialect}`).execute(),
    ).toEqual([]);
    expect((await register('Ada')).statusCode).toBe(201);
  });

  it('refuses them in product names; descriptions keep line breaks and tabs only', async () => {
    const create = (name: string, description: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/admin/products',
        headers: admin.headers,
        payload: { name, description, categoryId, priceCents: 100, stock: 1 },
      });
    refused(await create(`Saw\u0000 ${dialect}`, 'Sharp'), 'name');
    refused(await create(`Saw\t${dialect}`, 'Sharp'), 'name');
    refused(await create(`Saw ${dialect}`, 'Sharp\u0007'), 'description');
    const ok = await create(`Saw ${dialect}`, 'Sharp teeth.\n\tHardened steel.\r\n');
    expect(ok.statusCode).toBe(201);
    expect(ok.json().description).toBe('Sharp teeth.\n\tHardened steel.');
    const reason = await t.app.inject({
      method: 'POST',
      url: `/api/admin/products/${ok.json().id}/stock`,
      headers: admin.headers,
      payload: { delta: 1, reason: 'count\u0000' },
    });
    refused(reason, 'reason');
  });

  it('refuses them in a shipping address but allows a multi-line one', async () => {
    const shopper = await createUser(t.db);
    const product = await createProduct(t.db, { stock: 5 });
    const added = await t.app.inject({
      method: 'POST',
      url: '/api/cart/items',
      headers: shopper.headers,
      payload: { productId: product, quantity: 1 },
    });
    expect(added.statusCode).toBe(200);
    const checkout = (shippingAddress: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/cart/checkout',
        headers: shopper.headers,
        payload: { shippingAddress },
      });
    refused(await checkout('1 Main St\u0000'), 'shippingAddress');
    const closed = await checkout('Ada Lovelace\n1 Main St\nLondon');
    expect(closed.statusCode).toBe(201);
    expect(closed.json()).toMatchObject({
      status: 'CLOSED',
      shippingAddress: 'Ada Lovelace\n1 Main St\nLondon',
    });
  });
});
