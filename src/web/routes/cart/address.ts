// The checkout's structured shipping address and the one string the API stores for it
// (docs/decisions/160-structured-shipping-address.md): one line per part, the street as typed
// (it may span lines), so the order history shows the address as it was entered.

export interface Address {
  name: string;
  street: string;
  postalCode: string;
  city: string;
  country: string;
}

/** The API's limit on `shippingAddress`. */
export const MAX_ADDRESS_LENGTH = 300;

export const addressFromProfile = (p: {
  firstName: string;
  lastName: string;
  city: string;
  country: string;
}): Address => ({
  name: `${p.firstName} ${p.lastName}`.trim(),
  street: '',
  postalCode: '',
  city: p.city,
  country: p.country,
});

const clean = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .join('\n');

/** "Ada Lovelace\n12 Main St\nFlat 4\nSW1A 1AA London\nUnited Kingdom" */
export function formatAddress(a: Address): string {
  const town = [a.postalCode.trim(), a.city.trim()].filter(Boolean).join(' ');
  return [clean(a.name), clean(a.street), town, clean(a.country)].filter(Boolean).join('\n');
}

/** Field problems, keyed like the form's fields; empty when the address can be sent. */
export function checkAddress(a: Address): Partial<Record<keyof Address, string>> {
  const errors: Partial<Record<keyof Address, string>> = {};
  if (!a.name.trim()) errors.name = 'Enter the name of the person receiving the order.';
  if (!a.street.trim()) errors.street = 'Enter the street and house number.';
  if (!a.postalCode.trim()) errors.postalCode = 'Enter the postal code.';
  if (!a.city.trim()) errors.city = 'Enter the city.';
  if (!a.country.trim()) errors.country = 'Enter the country.';
  if (Object.keys(errors).length === 0 && formatAddress(a).length > MAX_ADDRESS_LENGTH) {
    errors.street = `The whole address must stay under ${MAX_ADDRESS_LENGTH} characters.`;
  }
  return errors;
}
