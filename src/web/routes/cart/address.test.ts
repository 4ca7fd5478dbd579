import { describe, expect, it } from 'vitest';
import { addressFromProfile, checkAddress, formatAddress, MAX_ADDRESS_LENGTH } from './address.ts';

const full = {
  name: ' Ada Lovelace ',
  street: '12 Main Street\n  Flat 4 \n\n',
  postalCode: 'SW1A 1AA',
  city: 'London',
  country: 'United Kingdom',
};

describe('shipping address', () => {
  it('is one line per part, the street kept on the lines it was typed on', () => {
    expect(formatAddress(full)).toBe('Ada Lovelace\n12 Main Street\nFlat 4\nSW1A 1AA London\nUnited Kingdom');
  });

  it('starts from the profile: name, city and country', () => {
    expect(
      addressFromProfile({ firstName: 'Ada', lastName: 'Lovelace', city: 'London', country: 'UK' }),
    ).toEqual({ name: 'Ada Lovelace', street: '', postalCode: '', city: 'London', country: 'UK' });
  });

  it('names each missing part, and refuses what the API would (over 300 characters)', () => {
    expect(Object.keys(checkAddress({ ...full, street: ' ', postalCode: '' })).sort()).toEqual([
      'postalCode',
      'street',
    ]);
    expect(checkAddress(full)).toEqual({});
    const long = { ...full, street: 'x'.repeat(MAX_ADDRESS_LENGTH) };
    expect(checkAddress(long).street).toMatch(/under 300/);
  });
});
