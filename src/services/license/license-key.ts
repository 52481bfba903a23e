import { CROCKFORD_ALPHABET, randomCrockford } from '../shared/identifiers.js';

const PREFIX = 'SWY';
const GROUPS = 4;
const GROUP_LENGTH = 5;
const BASE = CROCKFORD_ALPHABET.length;
const KEY_PATTERN = new RegExp(`^${PREFIX}(-[${CROCKFORD_ALPHABET}]{${GROUP_LENGTH}}){${GROUPS}}-[${CROCKFORD_ALPHABET}]$`);

/** Luhn mod 32 over the payload: catches every single-character typo and every swap of neighbours but 0 ↔ Z. */
function luhnSum(codes: readonly number[], doubleFirst: boolean): number {
  let sum = 0;
  let factor = doubleFirst ? 2 : 1;
  for (let i = codes.length - 1; i >= 0; i -= 1) {
    const addend = factor * (codes[i] ?? 0);
    sum += Math.floor(addend / BASE) + (addend % BASE);
    factor = factor === 2 ? 1 : 2;
  }
  return sum;
}

const codesOf = (chars: string): number[] => [...chars].map((char) => CROCKFORD_ALPHABET.indexOf(char));

function checkCharacter(payload: string): string {
  const remainder = luhnSum(codesOf(payload), true) % BASE;
  return CROCKFORD_ALPHABET[(BASE - remainder) % BASE] as string;
}

/**
 * A new license key: `SWY-XXXXX-XXXXX-XXXXX-XXXXX-C`, 20 random Crockford base-32 characters (100 bits from
 * the system CSPRNG) and a check character, so a mistyped key is rejected before any lookup.
 */
export function generateLicenseKey(): string {
  const payload = randomCrockford(GROUPS * GROUP_LENGTH);
  const groups = Array.from({ length: GROUPS }, (_, i) => payload.slice(i * GROUP_LENGTH, (i + 1) * GROUP_LENGTH));
  return [PREFIX, ...groups, checkCharacter(payload)].join('-');
}

/** Upper-cases and trims what a person typed (Crockford keys are case-insensitive). */
export function normalizeLicenseKey(input: string): string {
  return input.trim().toUpperCase();
}

export function isWellFormedLicenseKey(key: string): boolean {
  if (!KEY_PATTERN.test(key)) return false;
  const chars = key.slice(PREFIX.length).replaceAll('-', '');
  return luhnSum(codesOf(chars), false) % BASE === 0;
}
