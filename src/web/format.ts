const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const date = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' });

export const formatPrice = (cents: number) => usd.format(cents / 100);
export const formatDate = (iso: string | null) => (iso ? date.format(new Date(iso)) : '—');
export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
