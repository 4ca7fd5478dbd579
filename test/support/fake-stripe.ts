import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

/**
 * A fake of the few Stripe API calls the shop makes (Checkout Sessions: create, retrieve, expire;
 * refunds), on 127.0.0.1, for the real `stripe` SDK to talk to (it takes host, port, protocol).
 * It also serves a stand-in for Stripe's hosted payment page: paying there completes the session,
 * delivers the signed `checkout.session.completed` webhook to the shop, and sends the shopper back.
 * Webhook payloads are signed with the SDK's own `webhooks.generateTestHeaderString`.
 */

export interface FakeSession {
  id: string;
  object: 'checkout.session';
  status: 'open' | 'complete' | 'expired';
  payment_status: 'unpaid' | 'paid';
  payment_intent: string | null;
  client_reference_id: string | null;
  metadata: Record<string, string>;
  amount_total: number;
  currency: string;
  url: string | null;
  success_url: string;
  cancel_url: string;
  expires_at: number;
  line_items: { quantity: number; name: string; unit_amount: number }[];
}

export interface FakeRefund {
  id: string;
  payment_intent: string;
  amount: number;
  idempotencyKey: string | undefined;
}

export interface FakeStripe {
  url: string;
  port: number;
  sessions: Map<string, FakeSession>;
  refunds: FakeRefund[];
  /** Every API request (method and path), in order. */
  requests: string[];
  /** While set, every API call answers 500 (an outage). */
  failing: boolean;
  /** Where the payment page delivers its webhook (the shop's endpoint). */
  webhookUrl: string | null;
  /** Marks the session paid and returns the `checkout.session.completed` event for it. */
  complete(sessionId: string): Stripe.Event;
  /** Marks the session expired and returns the `checkout.session.expired` event for it. */
  expire(sessionId: string): Stripe.Event;
  event(type: string, session: FakeSession): Stripe.Event;
  /** POSTs the event to the shop, signed (or with the given signature header). */
  deliver(
    event: unknown,
    options?: { signature?: string; secret?: string },
  ): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export const FAKE_WEBHOOK_SECRET = 'whsec_test_cartwise_fake_stripe_secret';
export const FAKE_SECRET_KEY = 'sk_test_cartwise_fake';

const id = (prefix: string) => `${prefix}_test_${randomBytes(12).toString('hex')}`;

/** `a[0][b]=1` form fields, as the SDK encodes them, into nested objects and arrays. */
function parseForm(text: string): Record<string, any> {
  const root: Record<string, any> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const path = key.replace(/\]/g, '').split('[');
    let node: any = root;
    path.forEach((part, i) => {
      if (i === path.length - 1) node[part] = value;
      else node = node[part] ??= /^\d+$/.test(path[i + 1]) ? [] : {};
    });
  }
  return root;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeStripe(webhookSecret = FAKE_WEBHOOK_SECRET): Promise<FakeStripe> {
  const sessions = new Map<string, FakeSession>();
  const refunds: FakeRefund[] = [];
  const requests: string[] = [];
  let base = '';

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'request-id': id('req') });
    res.end(JSON.stringify(body));
  };
  const stripeError = (res: ServerResponse, status: number, message: string) =>
    send(res, status, { error: { type: 'invalid_request_error', message } });

  const fake: FakeStripe = {
    url: '',
    port: 0,
    sessions,
    refunds,
    requests,
    failing: false,
    webhookUrl: null,
    event(type, session) {
      return {
        id: id('evt'),
        object: 'event',
        type,
        api_version: '2025-01-01',
        created: Math.floor(Date.now() / 1000),
        livemode: false,
        pending_webhooks: 1,
        request: { id: null, idempotency_key: null },
        data: { object: { ...session } },
      } as unknown as Stripe.Event;
    },
    complete(sessionId) {
      const session = sessions.get(sessionId);
      if (!session) throw new Error(`no session ${sessionId}`);
      Object.assign(session, {
        status: 'complete',
        payment_status: 'paid',
        payment_intent: id('pi'),
        url: null,
      });
      return fake.event('checkout.session.completed', session);
    },
    expire(sessionId) {
      const session = sessions.get(sessionId);
      if (!session) throw new Error(`no session ${sessionId}`);
      Object.assign(session, { status: 'expired', url: null });
      return fake.event('checkout.session.expired', session);
    },
    async deliver(event, options = {}) {
      if (!fake.webhookUrl) throw new Error('webhookUrl is not set');
      const payload = JSON.stringify(event);
      const signature =
        options.signature ??
        Stripe.webhooks.generateTestHeaderString({ payload, secret: options.secret ?? webhookSecret });
      const res = await fetch(fake.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': signature },
        body: payload,
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  async function api(req: IncomingMessage, res: ServerResponse, path: string) {
    requests.push(`${req.method} ${path}`);
    if (fake.failing) return stripeError(res, 500, 'The fake Stripe is down');
    if (req.headers.authorization !== `Bearer ${FAKE_SECRET_KEY}`)
      return stripeError(res, 401, 'Invalid API key');
    const form = parseForm(await readBody(req));
    const match = path.match(/^\/v1\/checkout\/sessions(?:\/([^/]+))?(\/expire)?$/);
    if (req.method === 'POST' && path === '/v1/checkout/sessions') {
      const lines = (form.line_items ?? []).map((l: any) => ({
        quantity: Number(l.quantity),
        name: l.price_data.product_data.name,
        unit_amount: Number(l.price_data.unit_amount),
      }));
      const sessionId = id('cs');
      const session: FakeSession = {
        id: sessionId,
        object: 'checkout.session',
        status: 'open',
        payment_status: 'unpaid',
        payment_intent: null,
        client_reference_id: form.client_reference_id ?? null,
        metadata: form.metadata ?? {},
        amount_total: lines.reduce((s: number, l: any) => s + l.quantity * l.unit_amount, 0),
        currency: form.line_items?.[0]?.price_data?.currency ?? 'usd',
        url: `${base}/pay/${sessionId}`,
        success_url: form.success_url,
        cancel_url: form.cancel_url,
        expires_at: Number(form.expires_at),
        line_items: lines,
      };
      sessions.set(sessionId, session);
      return send(res, 200, session);
    }
    if (match?.[1]) {
      const session = sessions.get(match[1]);
      if (!session) return stripeError(res, 404, `No such checkout.session: '${match[1]}'`);
      if (req.method === 'GET' && !match[2]) return send(res, 200, session);
      if (req.method === 'POST' && match[2]) {
        if (session.status !== 'open') return stripeError(res, 400, `Session is ${session.status}, not open`);
        Object.assign(session, { status: 'expired', url: null });
        return send(res, 200, session);
      }
    }
    if (req.method === 'POST' && path === '/v1/refunds') {
      const key = req.headers['idempotency-key'] as string | undefined;
      const earlier = key ? refunds.find((r) => r.idempotencyKey === key) : undefined;
      const refund = earlier ?? {
        id: id('re'),
        payment_intent: form.payment_intent,
        amount: Number(form.amount),
        idempotencyKey: key,
      };
      if (!earlier) refunds.push(refund);
      return send(res, 200, { ...refund, object: 'refund', status: 'succeeded', currency: 'usd' });
    }
    return stripeError(res, 404, `Unrecognized request URL (${req.method}: ${path})`);
  }

  /** The stand-in for the hosted payment page: a Pay button and a way back. */
  async function page(req: IncomingMessage, res: ServerResponse, sessionId: string) {
    const session = sessions.get(sessionId);
    if (!session || session.status !== 'open') {
      res.writeHead(410, { 'content-type': 'text/html' });
      return res.end('<!doctype html><title>Expired</title><h1>This payment page has expired</h1>');
    }
    if (req.method === 'POST') {
      await readBody(req);
      const delivered = await fake.deliver(fake.complete(sessionId));
      if (delivered.status !== 200) throw new Error(`webhook answered ${delivered.status}`);
      res.writeHead(303, { location: session.success_url });
      return res.end();
    }
    const total = (session.amount_total / 100).toFixed(2);
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<!doctype html><html lang="en"><title>Fake Stripe Checkout</title>
<main><h1>Pay $${total}</h1><form method="post"><button type="submit">Pay $${total}</button></form>
<a href="${session.cancel_url}">Back to the shop</a></main></html>`);
  }

  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const pay = path.match(/^\/pay\/([^/]+)$/);
    const work = pay ? page(req, res, pay[1]) : api(req, res, path);
    work.catch((error) => {
      if (!res.headersSent) stripeError(res, 500, String(error));
      else res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${fake.port}`;
  fake.url = base;
  return fake;
}
