import type { CustomerHistory } from './features.ts';

/** Histories as a few flat typed arrays: cheap to transfer to the worker thread (no deep clone). */
export interface PackedHistories {
  userIds: Float64Array;
  orderOffsets: Uint32Array;
  orderAt: Float64Array;
  orderCents: Float64Array;
  eventOffsets: Uint32Array;
  eventAt: Float64Array;
  eventKind: Uint8Array;
}

export function packHistories(histories: CustomerHistory[]): {
  packed: PackedHistories;
  transfer: ArrayBuffer[];
} {
  const n = histories.length;
  const orders = histories.reduce((s, h) => s + h.orders.length, 0);
  const events = histories.reduce((s, h) => s + h.events.length, 0);
  const p: PackedHistories = {
    userIds: new Float64Array(n),
    orderOffsets: new Uint32Array(n + 1),
    orderAt: new Float64Array(orders),
    orderCents: new Float64Array(orders),
    eventOffsets: new Uint32Array(n + 1),
    eventAt: new Float64Array(events),
    eventKind: new Uint8Array(events),
  };
  let o = 0;
  let e = 0;
  histories.forEach((h, i) => {
    p.userIds[i] = h.userId;
    p.orderOffsets[i] = o;
    p.eventOffsets[i] = e;
    for (const [at, cents] of h.orders) {
      p.orderAt[o] = at;
      p.orderCents[o++] = cents;
    }
    for (const [at, kind] of h.events) {
      p.eventAt[e] = at;
      p.eventKind[e++] = kind;
    }
  });
  p.orderOffsets[n] = o;
  p.eventOffsets[n] = e;
  const transfer = Object.values(p).map((a) => (a as { buffer: ArrayBuffer }).buffer);
  return { packed: p, transfer };
}

export function unpackHistories(p: PackedHistories): CustomerHistory[] {
  const out: CustomerHistory[] = [];
  for (let i = 0; i < p.userIds.length; i++) {
    const orders: Array<[number, number]> = [];
    for (let k = p.orderOffsets[i]; k < p.orderOffsets[i + 1]; k++)
      orders.push([p.orderAt[k], p.orderCents[k]]);
    const events: Array<[number, number]> = [];
    for (let k = p.eventOffsets[i]; k < p.eventOffsets[i + 1]; k++)
      events.push([p.eventAt[k], p.eventKind[k]]);
    out.push({ userId: p.userIds[i], orders, events });
  }
  return out;
}
