import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/server/app.ts';
import { runCli } from '../src/server/cli/main.ts';
import { createDb, type Db } from '../src/server/db/database.ts';
import { createProduct, createTestApp, createUser, type TestApp, testConfig } from './support/app.ts';
import { describeEachDialect } from './support/databases.ts';

// Uploaded pictures behind a load balancer (issue 17, docs/decisions/123): with IMAGE_STORE=database
// an upload through one instance is served by another that shares only the database.

const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(64, 1)]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 2)]);
const WEBP = Buffer.concat([
  Buffer.from('RIFF'),
  Buffer.alloc(4),
  Buffer.from('WEBPVP8 '),
  Buffer.alloc(64, 3),
]);
// Large enough that MySQL's 64 KiB BLOB would cut it short.
const BIG_PNG = Buffer.concat([PNG, Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7) % 256))]);

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

function multipart(file: Buffer) {
  const boundary = `----cartwise${Math.random().toString(16).slice(2)}`;
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="photo"\r\nContent-Type: image/png\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

type Admin = Awaited<ReturnType<typeof createUser>>;

function uploader(app: () => FastifyInstance, admin: () => Admin) {
  return async (id: number, file: Buffer): Promise<string> => {
    const m = multipart(file);
    const res = await app().inject({
      method: 'POST',
      url: `/api/admin/products/${id}/image`,
      payload: m.payload,
      headers: { ...m.headers, ...admin().headers },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().imageUrl;
  };
}

/** The headers every served upload carries, whichever store holds it. */
async function expectServed(app: FastifyInstance, url: string, bytes: Buffer, contentType: string) {
  const res = await app.inject({ url });
  expect(res.statusCode).toBe(200);
  expect(res.rawPayload.equals(bytes)).toBe(true);
  expect(res.headers['content-type']).toBe(contentType);
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  expect(res.headers.etag).toBe(`"${sha256(bytes)}"`);
  const again = await app.inject({ url, headers: { 'if-none-match': res.headers.etag as string } });
  expect(again.statusCode).toBe(304);
  expect(again.rawPayload.length).toBe(0);
  const head = await app.inject({ method: 'HEAD', url });
  expect(head.statusCode).toBe(200);
  expect(head.headers['content-type']).toBe(contentType);
}

async function expectUnknown(app: FastifyInstance, url: string) {
  const res = await app.inject({ url });
  expect(res.statusCode, url).toBe(404);
  expect(res.json().code).toBe('not_found');
}

const UNKNOWN = ['/uploads/product-1-000000000000.png', '/uploads/..%2F..%2Fjwt-secret', '/uploads/.hidden'];

describeEachDialect('image store: database, two instances', (dialect) => {
  const dirs = [
    mkdtempSync(join(tmpdir(), 'cartwise-images-a-')),
    mkdtempSync(join(tmpdir(), 'cartwise-images-b-')),
  ];
  let a: TestApp;
  let bDb: Db;
  let b: FastifyInstance;
  let admin: Admin;
  const upload = uploader(
    () => a.app,
    () => admin,
  );
  const uploadThroughB = uploader(
    () => b,
    () => admin,
  );

  beforeAll(async () => {
    a = await createTestApp(dialect, { IMAGE_STORE: 'database', DATA_DIR: dirs[0] });
    // A second instance: its own connection pool and data folder, the same database.
    bDb = createDb(a.url);
    b = await buildApp({
      config: testConfig({ DATABASE_URL: a.url, IMAGE_STORE: 'database', DATA_DIR: dirs[1] }),
      db: bDb,
    });
    await b.ready();
    admin = await createUser(a.db, { role: 'admin' });
  });
  afterAll(async () => {
    await b?.close();
    await bDb?.destroy();
    await a?.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('serves an upload made through A from B, byte for byte, with the same URL shape as on disk', async () => {
    const id = await createProduct(a.db);
    const url = await upload(id, BIG_PNG);
    expect(url).toMatch(new RegExp(`^/uploads/product-${id}-[0-9a-f]{12}\\.png$`));
    await expectServed(b, url, BIG_PNG, 'image/png');
    expect((await b.inject({ url: `/api/products/${id}` })).json().imageUrl).toBe(url);
    const row = await bDb
      .selectFrom('product_images')
      .select(['content_type', 'size_bytes', 'sha256', 'created_at'])
      .where('name', '=', url.slice('/uploads/'.length))
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      content_type: 'image/png',
      size_bytes: BIG_PNG.length,
      sha256: sha256(BIG_PNG),
    });
    expect(Number(row.created_at)).toBeGreaterThan(Date.now() - 60_000);
    // Nothing went to either instance's disk.
    for (const dir of dirs)
      expect(existsSync(join(dir, 'uploads')) && readdirSync(join(dir, 'uploads'))).toBeFalsy();

    for (const unknown of [...UNKNOWN, url.toUpperCase().replace('/UPLOADS/', '/uploads/')]) {
      await expectUnknown(b, unknown);
    }
  });

  it('keeps a picture another product still shows, and removes it once none does, across instances', async () => {
    const first = await createProduct(a.db);
    const second = await createProduct(a.db);
    const shared = await upload(first, PNG);
    const patched = await b.inject({
      method: 'PATCH',
      url: `/api/admin/products/${second}`,
      headers: admin.headers,
      payload: { imageUrl: shared },
    });
    expect(patched.json().imageUrl).toBe(shared);

    const replaced = await uploadThroughB(first, JPEG);
    expect(replaced).not.toBe(shared);
    await expectServed(a.app, shared, PNG, 'image/png');
    await expectServed(a.app, replaced, JPEG, 'image/jpeg');

    const own = await upload(second, WEBP);
    await expectUnknown(b, shared);
    await expectServed(b, own, WEBP, 'image/webp');
    expect(
      await a.db
        .selectFrom('product_images')
        .select('name')
        .where('name', '=', shared.slice(9))
        .executeTakeFirst(),
    ).toBeUndefined();
  });

  it('refuses what is not a PNG, JPEG or WebP and stores nothing', async () => {
    const id = await createProduct(a.db);
    const count = async () =>
      Number(
        (
          await a.db
            .selectFrom('product_images')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    const m = multipart(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'));
    const res = await b.inject({
      method: 'POST',
      url: `/api/admin/products/${id}/image`,
      payload: m.payload,
      headers: { ...m.headers, ...admin.headers },
    });
    expect(res.statusCode).toBe(415);
    expect(await count()).toBe(before);
  });

  it('stores the local pictures a command-line import names in the database', async () => {
    const saved = { ...process.env };
    const dir = dirs[0];
    Object.assign(process.env, {
      DATABASE_URL: a.url,
      DATA_DIR: dir,
      JWT_SECRET: a.config.JWT_SECRET,
      IMAGE_STORE: 'database',
    });
    try {
      writeFileSync(join(dir, 'lamp.png'), PNG);
      writeFileSync(
        join(dir, 'lamps.csv'),
        `name,description,category,price,stock,image\nDb Lamp ${dialect},d,Lighting,1,1,lamp.png\n`,
      );
      const lines: string[] = [];
      const push = (...v: unknown[]) => void lines.push(v.join(' '));
      expect(
        await runCli(['import-products', join(dir, 'lamps.csv')], { log: push, error: push }),
        lines.join('\n'),
      ).toBe(0);
    } finally {
      process.env = saved;
    }
    const lamp = (await b.inject({ url: `/api/search?q=db%20lamp%20${dialect}` })).json().items[0];
    expect(lamp.imageUrl).toMatch(/^\/uploads\/import-[0-9a-f]{12}\.png$/);
    await expectServed(b, lamp.imageUrl, PNG, 'image/png');
  });
});

describe('image store: disk (the default)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cartwise-images-disk-'));
  let t: TestApp;
  let admin: Admin;
  const upload = uploader(
    () => t.app,
    () => admin,
  );
  beforeAll(async () => {
    t = await createTestApp('sqlite', { DATA_DIR: dataDir });
    admin = await createUser(t.db, { role: 'admin' });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes files under DATA_DIR/uploads and serves them with the same headers', async () => {
    expect(t.config.IMAGE_STORE).toBe('disk');
    const id = await createProduct(t.db);
    const url = await upload(id, JPEG);
    expect(existsSync(join(dataDir, url))).toBe(true);
    await expectServed(t.app, url, JPEG, 'image/jpeg');
    expect(await t.db.selectFrom('product_images').select('name').execute()).toEqual([]);
    writeFileSync(join(dataDir, 'jwt-secret-copy'), 'secret');
    for (const unknown of [...UNKNOWN, '/uploads/..%2Fjwt-secret-copy']) await expectUnknown(t.app, unknown);
  });
});
