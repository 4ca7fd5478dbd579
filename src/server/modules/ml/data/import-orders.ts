import { createHash } from 'node:crypto';
import type { Db } from '../../../db/database.ts';
import { inTransaction, isUniqueViolation } from '../../../db/dialect.ts';

/**
 * `import-orders`: a shop's past sales (customer_id,date,amount[,quantity]; amount in dollars)
 * become customers and CLOSED orders so the models can start from real history (decision 046).
 * The whole file is validated first: any bad line → nothing is imported and every problem is
 * reported with its line number. Re-importing the same file adds nothing twice.
 */
export class ImportError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(
      `The file has ${problems.length} problem(s); nothing was imported:\n  ${problems.slice(0, 50).join('\n  ')}`,
    );
    this.problems = problems;
  }
}

export interface ParsedOrder {
  line: number;
  customerId: string;
  at: number;
  cents: number;
  quantity: number;
  key: string;
}

const CUSTOMER_ID = /^[A-Za-z0-9_.-]{1,28}$/;
const AMOUNT = /^\d{1,9}(\.\d{1,2})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

export function parseOrdersCsv(text: string): ParsedOrder[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((h) => h.trim().toLowerCase());
  const problems: string[] = [];
  const col = (name: string) => header.indexOf(name);
  for (const required of ['customer_id', 'date', 'amount']) {
    if (col(required) < 0)
      problems.push(`line 1: missing column "${required}" (expected customer_id,date,amount[,quantity])`);
  }
  if (problems.length) throw new ImportError(problems);
  const orders: ParsedOrder[] = [];
  const now = Date.now();
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i];
    if (raw.trim() === '') continue;
    const lineNo = i + 1;
    const cells = raw.split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
    if (cells.length !== header.length) {
      problems.push(`line ${lineNo}: expected ${header.length} values, found ${cells.length}`);
      continue;
    }
    const customerId = cells[col('customer_id')];
    const date = cells[col('date')];
    const amount = cells[col('amount')];
    const quantityText = col('quantity') >= 0 ? cells[col('quantity')] : '1';
    const before = problems.length;
    if (!CUSTOMER_ID.test(customerId)) {
      problems.push(
        `line ${lineNo}: customer_id "${customerId}" must be 1–28 letters, digits, "_", "." or "-"`,
      );
    }
    const at = DATE.test(date) ? Date.parse(date.length === 10 ? `${date}T12:00:00Z` : date) : Number.NaN;
    // Date.parse rolls 2025-02-30 over to March; a real calendar date must round-trip.
    if (!Number.isFinite(at) || new Date(at).toISOString().slice(0, 10) !== date.slice(0, 10))
      problems.push(`line ${lineNo}: date "${date}" is not a valid YYYY-MM-DD date`);
    else if (at > now) problems.push(`line ${lineNo}: date "${date}" is in the future`);
    if (!AMOUNT.test(amount)) {
      problems.push(
        `line ${lineNo}: amount "${amount}" must be a positive number with at most 2 decimals (dollars)`,
      );
    }
    if (!/^\d{1,6}$/.test(quantityText) || Number(quantityText) < 1) {
      problems.push(`line ${lineNo}: quantity "${quantityText}" must be a whole number ≥ 1`);
    }
    if (problems.length > before) continue;
    const [whole, fraction = ''] = amount.split('.');
    const cents = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
    if (cents <= 0) {
      problems.push(`line ${lineNo}: amount must be greater than 0`);
      continue;
    }
    const key = `import:${createHash('sha256').update(`${lineNo}|${raw.trim()}`).digest('hex').slice(0, 40)}`;
    orders.push({ line: lineNo, customerId, at, cents, quantity: Number(quantityText), key });
  }
  if (problems.length) throw new ImportError(problems);
  if (orders.length === 0) throw new ImportError(['the file has a header but no orders']);
  return orders;
}

/** Imported customers are real (not synthetic) accounts that cannot sign in until an admin resets them. */
const NO_LOGIN = '!imported-no-login';

export async function importOrders(
  db: Db,
  orders: ParsedOrder[],
  onProgress?: (done: number, total: number) => void,
): Promise<{ customersCreated: number; ordersImported: number; duplicatesSkipped: number }> {
  const userIds = new Map<string, number>();
  let customersCreated = 0;
  for (const customerId of new Set(orders.map((o) => o.customerId))) {
    const username = `c-${customerId}`;
    const existing = await db
      .selectFrom('users')
      .select('id')
      .where('username_key', '=', username.toLowerCase())
      .executeTakeFirst();
    if (existing) {
      userIds.set(customerId, existing.id);
      continue;
    }
    const first = Math.min(...orders.filter((o) => o.customerId === customerId).map((o) => o.at));
    try {
      const r = await db
        .insertInto('users')
        .values({
          username,
          email: `${username}@imported.invalid`,
          password_hash: NO_LOGIN,
          first_name: 'Imported',
          last_name: customerId,
          phone: '+1 555 0100',
          country: 'Unknown',
          city: 'Unknown',
          role: 'customer',
          created_at: first,
        })
        .executeTakeFirstOrThrow();
      userIds.set(customerId, Number(r.insertId));
      customersCreated++;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const again = await db
        .selectFrom('users')
        .select('id')
        .where('username_key', '=', username.toLowerCase())
        .executeTakeFirstOrThrow();
      userIds.set(customerId, again.id);
    }
  }
  let ordersImported = 0;
  let duplicatesSkipped = 0;
  const BATCH = 500;
  for (let i = 0; i < orders.length; i += BATCH) {
    const batch = orders.slice(i, i + BATCH);
    await inTransaction(db, async (trx) => {
      const keys = await trx
        .selectFrom('orders')
        .select('idempotency_key')
        .where(
          'idempotency_key',
          'in',
          batch.map((o) => o.key),
        )
        .execute();
      const seen = new Set(keys.map((k) => k.idempotency_key));
      const fresh = batch.filter((o) => !seen.has(o.key));
      duplicatesSkipped += batch.length - fresh.length;
      if (fresh.length) {
        await trx
          .insertInto('orders')
          .values(
            fresh.map((o) => ({
              user_id: userIds.get(o.customerId)!,
              status: 'CLOSED' as const,
              created_at: o.at,
              closed_at: o.at,
              shipping_address: 'Imported order history',
              total_cents: o.cents,
              idempotency_key: o.key,
            })),
          )
          .execute();
      }
      ordersImported += fresh.length;
    });
    onProgress?.(Math.min(orders.length, i + BATCH), orders.length);
  }
  return { customersCreated, ordersImported, duplicatesSkipped };
}
