// A guest's cart, kept in this browser (localStorage) until they sign in or register, when it is
// merged into their TEMP order (merge.ts). Other tabs see changes through the `storage` event.

export interface GuestLine {
  productId: number;
  quantity: number;
}

const KEY = 'cartwise.guestCart';
const listeners = new Set<() => void>();
let cached: { raw: string | null; lines: GuestLine[] } = { raw: null, lines: [] };

function parse(raw: string | null): GuestLine[] {
  try {
    const data: unknown = raw ? JSON.parse(raw) : [];
    if (!Array.isArray(data)) return [];
    return data.filter(
      (l): l is GuestLine =>
        Number.isInteger(l?.productId) && l.productId > 0 && Number.isInteger(l?.quantity) && l.quantity > 0,
    );
  } catch {
    return [];
  }
}

/** The lines, the same array until they change (a useSyncExternalStore snapshot). */
export function guestLines(): GuestLine[] {
  const raw = localStorage.getItem(KEY);
  if (raw !== cached.raw) cached = { raw, lines: parse(raw) };
  return cached.lines;
}

function save(lines: GuestLine[]) {
  if (lines.length === 0) localStorage.removeItem(KEY);
  else localStorage.setItem(KEY, JSON.stringify(lines));
  for (const listener of listeners) listener();
}

export function subscribeGuestCart(listener: () => void): () => void {
  listeners.add(listener);
  const onStorage = (event: StorageEvent) => {
    if (event.key === KEY || event.key === null) listener();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

/** Sets a line's quantity (0 removes it). */
export function setGuestQuantity(productId: number, quantity: number) {
  const lines = guestLines();
  if (quantity <= 0) return save(lines.filter((l) => l.productId !== productId));
  const existing = lines.some((l) => l.productId === productId);
  save(
    existing
      ? lines.map((l) => (l.productId === productId ? { productId, quantity } : l))
      : [...lines, { productId, quantity }],
  );
}

export const clearGuestCart = () => save([]);
