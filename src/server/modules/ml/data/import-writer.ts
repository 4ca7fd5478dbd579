import { createHash } from 'node:crypto';
import type { Db } from '../../../db/database.ts';
import {
  customersByExternalId,
  type ImportedOrder,
  importedCategoryId,
  insertArchivedProducts,
  insertImportedCustomers,
  insertImportedOrders,
  productsByNameKey,
} from '../queries/imports.ts';
import type { ParsedOrder } from './import-orders.ts';

/**
 * `import-orders`, the writing half: validated orders become customers (one per external id),
 * archived products for what the catalog does not sell, and CLOSED orders with their line. Every
 * step is set-based (a few queries per 500 rows), so 100,000 rows take seconds. Re-importing the
 * same file adds nothing twice (each line's idempotency key).
 */

/** A username for an external id: stable, unique in practice, within the 32-character limit. */
export const importedUsername = (externalId: string) =>
  `imp-${createHash('sha256').update(externalId).digest('hex').slice(0, 24)}`;

/** Orders per transaction (written 2,000 rows per statement). */
const BATCH = 5_000;

export async function importOrders(
  db: Db,
  orders: ParsedOrder[],
  onProgress?: (done: number, total: number) => void,
): Promise<{
  customersCreated: number;
  ordersImported: number;
  duplicatesSkipped: number;
  productsCreated: number;
}> {
  const firstOrderAt = new Map<string, number>();
  for (const o of orders)
    firstOrderAt.set(o.customerId, Math.min(firstOrderAt.get(o.customerId) ?? o.at, o.at));
  const ids = [...firstOrderAt.keys()];
  const known = await customersByExternalId(db, ids);
  const missing = ids.filter((id) => !known.has(id));
  await insertImportedCustomers(
    db,
    missing.map((externalId) => ({
      username: importedUsername(externalId),
      externalId,
      createdAt: firstOrderAt.get(externalId)!,
    })),
  );
  const userIds = missing.length ? await customersByExternalId(db, ids) : known;

  const productIds = new Map<string, number>();
  let productsCreated = 0;
  const named = orders.filter((o) => o.product !== null);
  if (named.length) {
    const firstPrice = new Map<string, { name: string; priceCents: number }>();
    for (const o of named) {
      const key = o.product!.toLowerCase();
      if (!firstPrice.has(key))
        firstPrice.set(key, { name: o.product!, priceCents: Math.round(o.cents / o.quantity) });
    }
    const keys = [...firstPrice.keys()];
    const catalog = await productsByNameKey(db, keys);
    const absent = keys.filter((k) => !catalog.has(k));
    if (absent.length) {
      await insertArchivedProducts(
        db,
        await importedCategoryId(db),
        absent.map((k) => firstPrice.get(k)!),
      );
      productsCreated = absent.length;
    }
    for (const [k, id] of absent.length ? await productsByNameKey(db, keys) : catalog) productIds.set(k, id);
  }

  let ordersImported = 0;
  for (let i = 0; i < orders.length; i += BATCH) {
    const batch: ImportedOrder[] = orders.slice(i, i + BATCH).map((o) => ({
      userId: userIds.get(o.customerId)!,
      at: o.at,
      cents: o.cents,
      key: o.key,
      line:
        o.product === null
          ? null
          : {
              productId: productIds.get(o.product.toLowerCase())!,
              quantity: o.quantity,
              unitPriceCents: Math.round(o.cents / o.quantity),
            },
    }));
    ordersImported += await insertImportedOrders(db, batch);
    onProgress?.(Math.min(orders.length, i + BATCH), orders.length);
  }
  return {
    customersCreated: missing.length,
    ordersImported,
    duplicatesSkipped: orders.length - ordersImported,
    productsCreated,
  };
}
