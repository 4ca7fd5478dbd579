import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../src/server/app.ts';
import { retryDelayMs } from '../src/server/modules/mail/sender.ts';
import { createProduct, createUser, testConfig } from './support/app.ts';
import { createTestDatabase, describeEachDialect, type TestDatabase } from './support/databases.ts';

/**
 * Order mails through the outbox to a real SMTP server in process (smtp-server): what they say,
 * that they go after the commit, and that an SMTP outage delays them without losing any or
 * failing a checkout.
 */

type User = Awaited<ReturnType<typeof createUser>>;
interface Received {
  to: string[];
  text: string;
}

function startSmtp(port: number, inbox: Received[]): Promise<SMTPServer> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        inbox.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          text: decodeQuotedPrintable(Buffer.concat(chunks).toString('utf8')),
        });
        callback();
      });
    },
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}
/** Non-ASCII bodies arrive quoted-printable (`=C3=97`, soft breaks `=\r\n`). */
function decodeQuotedPrintable(raw: string): string {
  const bytes = raw
    .replace(/=\r?\n/g, '')
    .replace(/(?:=[0-9A-F]{2})+/g, (run) => Buffer.from(run.replace(/=/g, ''), 'hex').toString('utf8'));
  return bytes;
}
const stopSmtp = (server: SMTPServer) => new Promise<void>((resolve) => server.close(() => resolve()));

describeEachDialect('order mails', (dialect) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let quiet: FastifyInstance;
  let smtp: SMTPServer;
  let smtpPort: number;
  let admin: User;
  const inbox: Received[] = [];

  beforeAll(async () => {
    smtp = await startSmtp(0, inbox);
    smtpPort = (smtp.server.address() as AddressInfo).port;
    database = await createTestDatabase(dialect);
    const config = testConfig({
      DATABASE_URL: database.url,
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      MAIL_FROM: 'Cartwise Test <shop@cartwise.test>',
      MAIL_RETRY_BASE_MS: '50',
      MAIL_POLL_MS: '50',
    });
    app = await buildApp({ config, db: database.db });
    await app.ready();
    // A second instance on the same database without SMTP_URL: it only writes to the outbox.
    quiet = await buildApp({ config: testConfig({ DATABASE_URL: database.url }), db: database.db });
    await quiet.ready();
    admin = await createUser(database.db, { role: 'admin' });
  });
  afterAll(async () => {
    await quiet.close();
    await app.close();
    await stopSmtp(smtp);
    await database.drop();
  });

  const call = (target: FastifyInstance, method: 'GET' | 'POST', url: string, user: User, payload?: object) =>
    target.inject({ method, url, headers: user.headers, payload });

  async function placeOrder(target: FastifyInstance, user: User, productId: number, quantity: number) {
    expect((await call(target, 'POST', '/api/cart/items', user, { productId, quantity })).statusCode).toBe(
      200,
    );
    const res = await call(target, 'POST', '/api/cart/checkout', user, {
      shippingAddress: '12 Post Road\nMailtown',
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  }
  const mailTo = (user: User, subject: string) =>
    inbox.find((m) => m.to.includes(`${user.username}@example.com`) && m.text.includes(subject));

  it('mails the confirmation, the shipment and the cancellation with what each needs to say', async () => {
    const user = await createUser(database.db);
    const p = await createProduct(database.db, { name: `Teapot ${Date.now()}`, priceCents: 1999, stock: 9 });
    const order = await placeOrder(app, user, p, 2);
    await expect.poll(() => mailTo(user, `order ${order.number}`), { timeout: 5_000 }).toBeTruthy();
    const confirmation = mailTo(user, `Subject: Your Cartwise order ${order.number}`) as Received;
    expect(confirmation.text).toContain('From: Cartwise Test <shop@cartwise.test>');
    for (const part of [order.number, `2 × ${order.lines[0].name}`, '$39.98', '12 Post Road', 'Mailtown']) {
      expect(confirmation.text).toContain(part);
    }

    await call(app, 'POST', `/api/admin/orders/${order.id}/ship`, admin, {
      carrier: 'FedEx',
      trackingNumber: 'FX-7731',
    });
    await expect.poll(() => mailTo(user, 'has shipped'), { timeout: 5_000 }).toBeTruthy();
    expect((mailTo(user, 'has shipped') as Received).text).toMatch(
      /Carrier: FedEx[\s\S]*Tracking number: FX-7731/,
    );

    const second = await placeOrder(app, user, p, 1);
    await call(app, 'POST', `/api/admin/orders/${second.id}/cancel`, admin, {
      reason: 'Damaged in the warehouse',
    });
    await expect.poll(() => mailTo(user, 'was cancelled'), { timeout: 5_000 }).toBeTruthy();
    expect((mailTo(user, 'was cancelled') as Received).text).toContain('Damaged in the warehouse');
    expect((mailTo(user, 'was cancelled') as Received).text).toContain('Nothing was charged.');

    const outbox = (await call(app, 'GET', '/api/admin/outbox?status=sent&pageSize=100', admin)).json();
    expect(outbox.delivering).toBe(true);
    const kinds = outbox.items.filter((m: { to: string }) => m.to === `${user.username}@example.com`);
    expect(kinds.map((m: { kind: string }) => m.kind).sort()).toEqual(
      ['order_cancelled', 'order_confirmation', 'order_confirmation', 'order_shipped'].sort(),
    );
  });

  it('an SMTP outage fails no checkout; the mail waits with its error and arrives when SMTP is back', async () => {
    const user = await createUser(database.db);
    const p = await createProduct(database.db, { stock: 5 });
    await stopSmtp(smtp);
    let restarted = false;
    try {
      const order = await placeOrder(app, user, p, 1);
      const row = () =>
        database.db
          .selectFrom('mail_outbox')
          .select(['status', 'attempts', 'last_error'])
          .where('order_id', '=', order.id)
          .executeTakeFirstOrThrow();
      await expect
        .poll(async () => Number((await row()).attempts), { timeout: 5_000 })
        .toBeGreaterThanOrEqual(2);
      const waiting = await row();
      expect(waiting.status).toBe('pending');
      expect(waiting.last_error).toMatch(/ECONNREFUSED|connect/i);
      const listed = (await call(app, 'GET', '/api/admin/outbox?status=pending', admin)).json();
      expect(listed.items.find((m: { orderId: number }) => m.orderId === order.id)).toMatchObject({
        status: 'pending',
        kind: 'order_confirmation',
      });
      expect(mailTo(user, order.number)).toBeUndefined();

      smtp = await startSmtp(smtpPort, inbox);
      restarted = true;
      await expect.poll(() => mailTo(user, order.number), { timeout: 10_000 }).toBeTruthy();
      expect((await row()).status).toBe('sent');
      expect(inbox.filter((m) => m.text.includes(order.number))).toHaveLength(1);
    } finally {
      if (!restarted) smtp = await startSmtp(smtpPort, inbox);
    }
  });

  it('without SMTP_URL mails stay in the outbox and the console lists them', async () => {
    const user = await createUser(database.db);
    const p = await createProduct(database.db, { stock: 5 });
    const res = await call(quiet, 'GET', '/api/admin/outbox', admin);
    expect(res.json().delivering).toBe(false);
    // Written through the quiet instance; the mailing instance picks it up from the shared outbox.
    const order = await placeOrder(quiet, user, p, 1);
    const listed = (await call(quiet, 'GET', '/api/admin/outbox?pageSize=100', admin)).json();
    expect(listed.items.some((m: { orderId: number }) => m.orderId === order.id)).toBe(true);
    await expect.poll(() => mailTo(user, order.number), { timeout: 15_000 }).toBeTruthy();
    expect((await call(quiet, 'GET', '/api/admin/outbox', user)).statusCode).toBe(403);
  });

  it('backs off exponentially up to an hour', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(1000, n))).toEqual([1000, 2000, 4000, 8000]);
    expect(retryDelayMs(30_000, 20)).toBe(3_600_000);
  });
});
