import { randomBytes } from 'node:crypto';

/** Crockford's base-32 alphabet: no I, L, O, U, so keys read aloud and typed by hand survive. */
export const CROCKFORD_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** `length` characters drawn uniformly from the alphabet (each from 5 random bits). */
export function randomCrockford(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i += 1) out += CROCKFORD_ALPHABET[(bytes[i] ?? 0) & 31];
  return out;
}

/**
 * Human-facing document numbers, unique per tenant by constraint: `Q-20261122-7KX2M9` (30 random bits
 * per day; a clash fails the insert rather than reusing a number).
 */
export function documentNumber(prefix: 'Q' | 'O' | 'INV', now: Date): string {
  const day = now.toISOString().slice(0, 10).replaceAll('-', '');
  return `${prefix}-${day}-${randomCrockford(6)}`;
}
