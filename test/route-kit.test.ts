import { afterAll, beforeAll, expect, it } from 'vitest';
import { idSegment } from '../src/server/http/params.ts';
import { SESSION_SECURITY } from '../src/server/http/route-kit.ts';
import { createTestApp, createUser, type TestApp } from './support/app.ts';
import { describeEachDialect } from './support/databases.ts';

// The route kit's promises, checked on every route the app documents rather than a sample: one
// id-segment rule for every integer `:id`, one admin check that runs before anything is parsed,
// one security requirement in the OpenAPI document (docs/decisions/100-route-kit-and-module-deps.md).

interface Operation {
  method: string;
  path: string;
  security?: unknown;
  parameters?: { in: string; name: string; schema?: { pattern?: string } }[];
}

const ID_PATTERN = '^[1-9][0-9]{0,9}$';

describeEachDialect('route kit', (dialect) => {
  let t: TestApp;
  let operations: Operation[];
  let admin: Awaited<ReturnType<typeof createUser>>;
  let customer: Awaited<ReturnType<typeof createUser>>;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await createUser(t.db, { role: 'admin' });
    customer = await createUser(t.db);
    const paths = (await t.app.inject({ url: '/openapi.json' })).json().paths as Record<
      string,
      Record<string, Omit<Operation, 'method' | 'path'>>
    >;
    operations = Object.entries(paths).flatMap(([path, byMethod]) =>
      Object.entries(byMethod).map(([method, op]) => ({ ...op, method: method.toUpperCase(), path })),
    );
  });
  afterAll(() => t.close());

  const url = (op: Operation, segment: string) => op.path.replace(/\{[^}]+\}/g, segment);
  const idParams = (op: Operation) =>
    (op.parameters ?? []).filter((p) => p.in === 'path' && p.schema?.pattern === ID_PATTERN);

  it('parses ids one way: 1..2147483647, no zero, sign, leading zero or exponent', () => {
    for (const good of ['1', '7', '2147483647']) expect(idSegment.parse(good)).toBe(Number(good));
    for (const bad of ['0', '007', '-1', '+1', '1e3', '1.0', '2147483648', '99999999999', '', ' 1']) {
      expect(idSegment.safeParse(bad).success, bad).toBe(false);
    }
  });

  it('answers 422 validation_failed for 0 and 007 on every integer :id route', async () => {
    const routes = operations.filter((op) => idParams(op).length > 0);
    // ml, admin, catalog, orders and favorites all have such routes.
    for (const prefix of [
      '/api/ml/',
      '/api/admin/orders',
      '/api/admin/products',
      '/api/orders',
      '/api/favorites',
    ]) {
      expect(
        routes.some((op) => op.path.startsWith(prefix)),
        prefix,
      ).toBe(true);
    }
    for (const op of routes) {
      for (const segment of ['0', '007']) {
        const res = await t.app.inject({
          method: op.method as 'GET',
          url: url(op, segment),
          headers: admin.headers,
        });
        expect(res.statusCode, `${op.method} ${url(op, segment)}`).toBe(422);
        const body = res.json();
        expect(body.code).toBe('validation_failed');
        expect(body.errors.map((e: { field: string }) => e.field)).toContain(idParams(op)[0].name);
      }
    }
  });

  it('checks admin access before parsing anything: 401 for guests, 403 for customers', async () => {
    const adminOps = operations.filter((op) => /^\/api\/(admin|ml)\//.test(op.path));
    expect(adminOps.length).toBeGreaterThan(10);
    for (const op of adminOps) {
      // A malformed body and an invalid path segment: a check after parsing would answer 400 or 422.
      const request = {
        method: op.method as 'POST',
        url: url(op, 'x'),
        ...(op.method === 'GET' ? {} : { payload: '{', headers: { 'content-type': 'application/json' } }),
      };
      const guest = await t.app.inject(request);
      expect(guest.statusCode, `${op.method} ${op.path}`).toBe(401);
      expect(guest.json().code).toBe('unauthorized');
      const asCustomer = await t.app.inject({
        ...request,
        headers: { ...request.headers, ...customer.headers },
      });
      expect(asCustomer.statusCode, `${op.method} ${op.path}`).toBe(403);
      expect(asCustomer.json().code).toBe('forbidden');
    }
  });

  it('documents every session route with the one security requirement', () => {
    const secured = operations.filter((op) => op.security !== undefined);
    for (const op of secured) expect(op.security, `${op.method} ${op.path}`).toEqual(SESSION_SECURITY);
    for (const op of operations.filter((o) => /^\/api\/(admin|ml|me|cart|orders|favorites)/.test(o.path))) {
      expect(op.security, `${op.method} ${op.path}`).toEqual(SESSION_SECURITY);
    }
  });
});
