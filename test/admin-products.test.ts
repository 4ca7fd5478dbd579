import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createProduct, createTestApp, createUser, type TestApp } from './support/app.ts';
import { describeEachDialect } from './support/databases.ts';

const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(64, 1)]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 2)]);
const WEBP = Buffer.concat([
  Buffer.from('RIFF'),
  Buffer.alloc(4),
  Buffer.from('WEBPVP8 '),
  Buffer.alloc(64, 3),
]);

function multipart(file: Buffer, filename = 'photo.png', type = 'image/png') {
  const boundary = `----cartwise${Math.random().toString(16).slice(2)}`;
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describeEachDialect('admin products', (dialect) => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof createUser>>;
  let customer: Awaited<ReturnType<typeof createUser>>;
  let categoryId: number;

  const dataDir = mkdtempSync(join(tmpdir(), 'cartwise-uploads-'));
  beforeAll(async () => {
    t = await createTestApp(dialect, { DATA_DIR: dataDir });
    admin = await createUser(t.db, { role: 'admin' });
    customer = await createUser(t.db);
    const r = await t.db
      .insertInto('categories')
      .values({ name: 'Tools', slug: 'tools' })
      .executeTakeFirstOrThrow();
    categoryId = Number(r.insertId);
  });
  afterAll(async () => {
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const as = (who: { headers: Record<string, string> } | null) => (who ? who.headers : {});
  const create = (body: Record<string, unknown>, who: { headers: Record<string, string> } | null = admin) =>
    t.app.inject({ method: 'POST', url: '/api/admin/products', headers: as(who), payload: body });
  const valid = (overrides: Record<string, unknown> = {}) => ({
    name: `Hammer ${Math.random().toString(36).slice(2, 8)}`,
    description: 'Forged steel claw hammer',
    categoryId,
    priceCents: 2599,
    stock: 4,
    ...overrides,
  });

  it('refuses guests with 401 and customers with 403 on every admin endpoint', async () => {
    const id = await createProduct(t.db);
    const calls = [
      { method: 'GET', url: '/api/admin/products' },
      { method: 'POST', url: '/api/admin/products', payload: valid() },
      { method: 'PATCH', url: `/api/admin/products/${id}`, payload: { stock: 1 } },
      { method: 'DELETE', url: `/api/admin/products/${id}` },
      { method: 'POST', url: `/api/admin/products/${id}/stock`, payload: { delta: 1 } },
      { method: 'POST', url: `/api/admin/products/${id}/image`, ...multipart(PNG) },
    ] as const;
    for (const call of calls) {
      const guest = await t.app.inject({ ...call });
      expect(guest.statusCode, `${call.method} ${call.url}`).toBe(401);
      const res = await t.app.inject({
        ...call,
        headers: { ...('headers' in call ? call.headers : {}), ...customer.headers },
      });
      expect(res.statusCode, `${call.method} ${call.url}`).toBe(403);
      expect(res.json().code).toBe('forbidden');
    }
    expect((await t.app.inject({ url: `/api/products/${id}` })).json().stock).toBe(10);
  });

  it('creates a product (201) and refuses a duplicate name in any case (409 name_taken)', async () => {
    const body = valid({ name: '  Claw Hammer  ', imageUrl: '/images/claw.svg' });
    const res = await create(body);
    expect(res.statusCode).toBe(201);
    const product = res.json();
    expect(product).toMatchObject({
      name: 'Claw Hammer',
      priceCents: 2599,
      stock: 4,
      imageUrl: '/images/claw.svg',
      archived: false,
      category: { id: categoryId, slug: 'tools', name: 'Tools' },
    });
    const shown = await t.app.inject({ url: `/api/products/${product.id}` });
    expect(shown.json().name).toBe('Claw Hammer');
    const dup = await create(valid({ name: 'CLAW HAMMER' }));
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('name_taken');
  });

  it.each([
    ['name', '   '],
    ['name', 'n'.repeat(201)],
    ['description', ''],
    ['categoryId', 0],
    ['categoryId', '1'],
    ['priceCents', -1],
    ['priceCents', 1.5],
    ['stock', -3],
    ['stock', 2_000_000],
    ['imageUrl', 'https://example.com/x.png'],
    ['imageUrl', '/images/../secret'],
  ])('create rejects %s=%j with 422 naming it', async (field, value) => {
    const res = await create(valid({ [field]: value }));
    expect(res.statusCode).toBe(422);
    expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('create with an unknown category is 422 on categoryId', async () => {
    const res = await create(valid({ categoryId: 999_999 }));
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0].field).toBe('categoryId');
  });

  it('patches any field; unknown ids 404, malformed 422, taken names 409', async () => {
    const a = (await create(valid())).json();
    const b = (await create(valid())).json();
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/admin/products/${a.id}`,
      headers: admin.headers,
      payload: { priceCents: 999, stock: 0, description: 'Now on sale', imageUrl: null },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      id: a.id,
      name: a.name,
      priceCents: 999,
      stock: 0,
      description: 'Now on sale',
      imageUrl: null,
    });
    const taken = await t.app.inject({
      method: 'PATCH',
      url: `/api/admin/products/${a.id}`,
      headers: admin.headers,
      payload: { name: b.name.toUpperCase() },
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().code).toBe('name_taken');
    const missing = await t.app.inject({
      method: 'PATCH',
      url: '/api/admin/products/987654',
      headers: admin.headers,
      payload: { stock: 1 },
    });
    expect(missing.statusCode).toBe(404);
    const malformed = await t.app.inject({
      method: 'PATCH',
      url: '/api/admin/products/abc',
      headers: admin.headers,
      payload: { stock: 1 },
    });
    expect(malformed.statusCode).toBe(422);
    const unknownField = await t.app.inject({
      method: 'PATCH',
      url: `/api/admin/products/${a.id}`,
      headers: admin.headers,
      payload: { price: 5 },
    });
    expect(unknownField.statusCode).toBe(422);
  });

  it('deletes a never-ordered product and archives an ordered one', async () => {
    const fresh = (await create(valid())).json();
    const ordered = (await create(valid())).json();
    const order = await t.db
      .insertInto('orders')
      .values({ user_id: customer.id, status: 'CLOSED', created_at: 1, closed_at: 2, total_cents: 2599 })
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto('order_lines')
      .values({
        order_id: Number(order.insertId),
        product_id: ordered.id,
        quantity: 1,
        unit_price_cents: 2599,
      })
      .execute();

    const del = (id: number) =>
      t.app.inject({ method: 'DELETE', url: `/api/admin/products/${id}`, headers: admin.headers });
    const deleted = await del(fresh.id);
    expect(deleted.statusCode).toBe(204);
    expect(deleted.headers['product-removal']).toBe('deleted');
    expect(await t.db.selectFrom('products').select('id').where('id', '=', fresh.id).execute()).toHaveLength(
      0,
    );
    expect((await del(fresh.id)).statusCode).toBe(404);

    const archived = await del(ordered.id);
    expect(archived.statusCode).toBe(204);
    expect(archived.headers['product-removal']).toBe('archived');
    const row = await t.db
      .selectFrom('products')
      .select('archived')
      .where('id', '=', ordered.id)
      .executeTakeFirst();
    expect(row?.archived).toBe(1);
    expect((await t.app.inject({ url: `/api/products/${ordered.id}` })).statusCode).toBe(404);
    const shop = (await t.app.inject({ url: `/api/products?q=${encodeURIComponent(ordered.name)}` })).json();
    expect(shop.total).toBe(0);

    const adminList = await t.app.inject({
      url: `/api/admin/products?q=${encodeURIComponent(ordered.name)}`,
      headers: admin.headers,
    });
    expect(adminList.json().items).toMatchObject([{ id: ordered.id, archived: true }]);
    const onlyArchived = await t.app.inject({
      url: '/api/admin/products?archived=true',
      headers: admin.headers,
    });
    expect(onlyArchived.json().items.every((p: { archived: boolean }) => p.archived)).toBe(true);

    const restored = await t.app.inject({
      method: 'PATCH',
      url: `/api/admin/products/${ordered.id}`,
      headers: admin.headers,
      payload: { archived: false },
    });
    expect(restored.json().archived).toBe(false);
    expect((await t.app.inject({ url: `/api/products/${ordered.id}` })).statusCode).toBe(200);
  });

  it('adjusts stock atomically and never below zero', async () => {
    const p = (await create(valid({ stock: 5 }))).json();
    const adjust = (delta: unknown, id = p.id) =>
      t.app.inject({
        method: 'POST',
        url: `/api/admin/products/${id}/stock`,
        headers: admin.headers,
        payload: { delta },
      });
    expect((await adjust(3)).json().stock).toBe(8);
    expect((await adjust(-8)).json().stock).toBe(0);
    const short = await adjust(-1);
    expect(short.statusCode).toBe(409);
    expect(short.json()).toMatchObject({ code: 'insufficient_stock', available: 0 });
    expect((await adjust(1.5)).statusCode).toBe(422);
    expect((await adjust('2')).statusCode).toBe(422);
    expect((await adjust(1, 987654)).statusCode).toBe(404);

    // 30 parallel decrements of 1 against a stock of 10 over real HTTP: exactly 10 succeed.
    await adjust(10);
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const statuses = await Promise.all(
      Array.from({ length: 30 }, () =>
        fetch(`${address}/api/admin/products/${p.id}/stock`, {
          method: 'POST',
          headers: { ...admin.headers, 'content-type': 'application/json' },
          body: JSON.stringify({ delta: -1 }),
        }).then((r) => r.status),
      ),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 409)).toHaveLength(20);
    const row = await t.db.selectFrom('products').select('stock').where('id', '=', p.id).executeTakeFirst();
    expect(row?.stock).toBe(0);
    // Every accepted change is in the audit trail, each with the stock it left; refusals are not.
    const trail = await t.db
      .selectFrom('stock_adjustments')
      .select(['delta', 'stock_after'])
      .where('product_id', '=', p.id)
      .orderBy('id')
      .execute();
    expect(trail).toHaveLength(3 + 10);
    expect(trail.slice(0, 3)).toEqual([
      { delta: 3, stock_after: 8 },
      { delta: -8, stock_after: 0 },
      { delta: 10, stock_after: 10 },
    ]);
    expect(trail.slice(3).map((a) => a.stock_after)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
  });

  it('keeps who adjusted stock and why, newest first, for admins only', async () => {
    const p = (await create(valid({ stock: 2 }))).json();
    const adjust = (payload: Record<string, unknown>) =>
      t.app.inject({
        method: 'POST',
        url: `/api/admin/products/${p.id}/stock`,
        headers: admin.headers,
        payload,
      });
    expect((await adjust({ delta: 12, reason: '  Received shipment ' })).statusCode).toBe(200);
    expect((await adjust({ delta: -1, reason: 'Damaged or lost' })).statusCode).toBe(200);
    expect((await adjust({ delta: 1 })).statusCode).toBe(200);
    for (const reason of ['', '   ', 'x'.repeat(201), 7]) {
      const bad = await adjust({ delta: 1, reason });
      expect(bad.statusCode, JSON.stringify(reason)).toBe(422);
      expect(bad.json().errors[0].field).toBe('reason');
    }

    const url = `/api/admin/products/${p.id}/stock-adjustments`;
    const res = await t.app.inject({ url, headers: admin.headers });
    expect(res.statusCode).toBe(200);
    expect(res.json().map((a: Record<string, unknown>) => [a.delta, a.stockAfter, a.reason])).toEqual([
      [1, 14, null],
      [-1, 13, 'Damaged or lost'],
      [12, 14, 'Received shipment'],
    ]);
    expect(res.json()[0].adminUsername).toBe(admin.username);
    expect(new Date(res.json()[0].createdAt).toISOString()).toBe(res.json()[0].createdAt);
    expect((await t.app.inject({ url, headers: customer.headers })).statusCode).toBe(403);
    expect((await t.app.inject({ url })).statusCode).toBe(401);
    const unknown = await t.app.inject({
      url: '/api/admin/products/987654/stock-adjustments',
      headers: admin.headers,
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('uploads PNG, JPEG and WebP images checked by their bytes, and serves them', async () => {
    const p = (await create(valid())).json();
    const upload = (file: Buffer, name?: string, type?: string, id = p.id) =>
      t.app.inject({
        method: 'POST',
        url: `/api/admin/products/${id}/image`,
        ...(() => {
          const m = multipart(file, name, type);
          return { payload: m.payload, headers: { ...m.headers, ...admin.headers } };
        })(),
      });
    let previous: string | null = null;
    for (const [bytes, ext] of [
      [PNG, 'png'],
      [JPEG, 'jpg'],
      [WEBP, 'webp'],
    ] as const) {
      const res = await upload(bytes);
      expect(res.statusCode, ext).toBe(200);
      const url: string = res.json().imageUrl;
      expect(url).toMatch(new RegExp(`^/uploads/product-${p.id}-[0-9a-f]+\\.${ext}$`));
      const served = await t.app.inject({ url });
      expect(served.statusCode).toBe(200);
      expect(served.rawPayload.equals(bytes)).toBe(true);
      if (previous) expect(existsSync(join(t.config.DATA_DIR, previous))).toBe(false);
      previous = url;
    }
    expect(readFileSync(join(t.config.DATA_DIR, previous!)).equals(WEBP)).toBe(true);

    const disguised = await upload(
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'),
      'x.png',
      'image/png',
    );
    expect(disguised.statusCode).toBe(415);
    const tooBig = await upload(Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024)]));
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json().code).toBe('payload_too_large');
    const notMultipart = await t.app.inject({
      method: 'POST',
      url: `/api/admin/products/${p.id}/image`,
      headers: { ...admin.headers, 'content-type': 'image/png' },
      payload: PNG,
    });
    expect(notMultipart.statusCode).toBe(415);
    for (const garbled of ['[0.5,3.2e+152]', '--fuzz\r\n', '--fuzz\r\nContent-Disposition: form-data']) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/admin/products/${p.id}/image`,
        headers: { ...admin.headers, 'content-type': 'multipart/form-data; boundary=fuzz' },
        payload: garbled,
      });
      expect(res.statusCode, garbled).toBe(400);
      expect(res.json().code).toBe('malformed_body');
    }
    expect((await upload(PNG, undefined, undefined, 987654)).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/api/products/${p.id}` })).json().imageUrl).toBe(previous);
  });

  it('archives a never-ordered product on request and restores it', async () => {
    const p = (await create(valid())).json();
    const patch = (archived: boolean) =>
      t.app.inject({
        method: 'PATCH',
        url: `/api/admin/products/${p.id}`,
        headers: admin.headers,
        payload: { archived },
      });
    expect((await patch(true)).json()).toMatchObject({ id: p.id, archived: true });
    expect((await t.app.inject({ url: `/api/products/${p.id}` })).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/api/products?q=${encodeURIComponent(p.name)}` })).json().total).toBe(
      0,
    );
    expect((await patch(false)).json()).toMatchObject({ id: p.id, archived: false });
    expect((await t.app.inject({ url: `/api/products?q=${encodeURIComponent(p.name)}` })).json().total).toBe(
      1,
    );
  });

  it('keeps an uploaded picture that another product still shows when the first gets a new one', async () => {
    const upload = (id: number, file: Buffer) => {
      const m = multipart(file);
      return t.app.inject({
        method: 'POST',
        url: `/api/admin/products/${id}/image`,
        payload: m.payload,
        headers: { ...m.headers, ...admin.headers },
      });
    };
    const a = (await create(valid())).json();
    const shared: string = (await upload(a.id, PNG)).json().imageUrl;
    const b = (await create(valid({ imageUrl: shared }))).json();
    expect(b.imageUrl).toBe(shared);

    const replaced: string = (await upload(a.id, JPEG)).json().imageUrl;
    expect(replaced).not.toBe(shared);
    expect(existsSync(join(t.config.DATA_DIR, shared))).toBe(true);
    const served = await t.app.inject({ url: shared });
    expect(served.statusCode).toBe(200);
    expect(served.rawPayload.equals(PNG)).toBe(true);

    // Once nobody shows it any more, the next replacement removes it.
    const own: string = (await upload(b.id, WEBP)).json().imageUrl;
    expect(existsSync(join(t.config.DATA_DIR, shared))).toBe(false);
    expect(existsSync(join(t.config.DATA_DIR, own))).toBe(true);
  });

  it('lists products for the admin with paging and search', async () => {
    const res = await t.app.inject({
      url: '/api/admin/products?pageSize=2&sort=-price',
      headers: admin.headers,
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.items).toHaveLength(2);
    expect(body.items[0].priceCents).toBeGreaterThanOrEqual(body.items[1].priceCents);
    expect(body.total).toBeGreaterThan(2);
    expect(body.items[0]).toHaveProperty('archived');
  });
});
