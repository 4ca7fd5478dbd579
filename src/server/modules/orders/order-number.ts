import { createHmac } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

/**
 * Public order numbers (docs/decisions/131-public-order-numbers.md): the internal id run through a
 * keyed 32-bit permutation (a four-round Feistel network over HMAC-SHA-256) and written in seven
 * Crockford base-32 characters. Numbers of consecutive orders look unrelated, so a shopper cannot
 * tell from two of theirs how many orders the shop took in between; every order has one from the
 * moment it exists (imported and simulated ones too) and a number maps back to its id. The key is
 * generated once per database by migration 0009 and never leaves it.
 */

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const LENGTH = 7; // 35 bits hold the 32-bit block
const ROUNDS = 4;

export class OrderNumbers {
  readonly #key: Buffer;

  constructor(key: string) {
    this.#key = Buffer.from(key, 'base64url');
  }

  #round(round: number, half: number): number {
    const input = Buffer.alloc(3);
    input.writeUInt8(round, 0);
    input.writeUInt16BE(half, 1);
    return createHmac('sha256', this.#key).update(input).digest().readUInt16BE(0);
  }

  numberOf(orderId: number): string {
    let left = (orderId >>> 16) & 0xffff;
    let right = orderId & 0xffff;
    for (let r = 0; r < ROUNDS; r++) [left, right] = [right, left ^ this.#round(r, right)];
    let block = (left * 0x10000 + right) >>> 0;
    let text = '';
    for (let i = 0; i < LENGTH; i++) {
      text = ALPHABET[block % 32] + text;
      block = Math.floor(block / 32);
    }
    return text;
  }

  /** The id behind a number, or null when the text is not a number of this shop's form. */
  idOf(number: string): number | null {
    const text = normaliseOrderNumber(number);
    if (text === null) return null;
    let block = 0;
    for (const c of text) block = block * 32 + ALPHABET.indexOf(c);
    if (block > 0xffffffff) return null;
    let left = Math.floor(block / 0x10000);
    let right = block & 0xffff;
    for (let r = ROUNDS - 1; r >= 0; r--) [left, right] = [right ^ this.#round(r, left), left];
    const id = left * 0x10000 + right;
    return id >= 1 && id <= 2_147_483_647 ? id : null;
  }
}

/** Upper case, Crockford's look-alikes (O→0, I/L→1) folded, an optional leading "#" dropped. */
export function normaliseOrderNumber(number: string): string | null {
  const text = number.trim().replace(/^#/, '').toUpperCase().replace(/O/g, '0').replace(/[IL]/g, '1');
  if (text.length !== LENGTH) return null;
  for (const c of text) if (!ALPHABET.includes(c)) return null;
  return text;
}

const loaded = new WeakMap<object, Promise<OrderNumbers>>();

/** The database's numbering, read once per database handle. */
export function orderNumbers(db: Kysely<Database>): Promise<OrderNumbers> {
  // A transaction shares its database's key: cache on the shared executor's adapter.
  const holder = db.getExecutor().adapter;
  let numbers = loaded.get(holder);
  if (!numbers) {
    numbers = db
      .selectFrom('app_secrets')
      .select('value')
      .where('name', '=', 'order_number_key')
      .executeTakeFirstOrThrow()
      .then((row) => new OrderNumbers(row.value));
    numbers.catch(() => loaded.delete(holder));
    loaded.set(holder, numbers);
  }
  return numbers;
}
