/**
 * Exact money arithmetic in integer minor units (BigInt inside, so no product loses a digit): tax at a
 * rate in millionths, and conversion between currencies at a rate in millionths, each rounded once,
 * half away from zero — the rounding an invoice shows.
 */

/** ISO 4217 minor-unit digits where they are not 2. */
const MINOR_DIGITS: Readonly<Record<string, number>> = {
  JPY: 0,
  KRW: 0,
  VND: 0,
  CLP: 0,
  ISK: 0,
  UGX: 0,
  BHD: 3,
  KWD: 3,
  OMR: 3,
  JOD: 3,
  TND: 3,
};

export function minorDigits(currency: string): number {
  return MINOR_DIGITS[currency] ?? 2;
}

/** `numerator / denominator`, both positive or zero, rounded half up. */
function divideRounded(numerator: bigint, denominator: bigint): bigint {
  return (numerator * 2n + denominator) / (denominator * 2n);
}

const MICROS = 1_000_000n;

/** The tax on `subtotal` minor units at `rateMicros` (190000 = 19 %). */
export function taxOf(subtotal: number, rateMicros: number): number {
  return Number(divideRounded(BigInt(subtotal) * BigInt(rateMicros), MICROS));
}

/**
 * `amount` minor units of `from` in minor units of `to`, at `rateMicros` (one unit of `from` is
 * rateMicros / 10^6 units of `to`), adjusting for the currencies' minor digits (EUR cents → JPY yen).
 */
export function convert(amount: number, from: string, to: string, rateMicros: bigint): number {
  if (from === to) return amount;
  const shift = minorDigits(to) - minorDigits(from);
  const numerator = BigInt(amount) * rateMicros * (shift > 0 ? 10n ** BigInt(shift) : 1n);
  const denominator = MICROS * (shift < 0 ? 10n ** BigInt(-shift) : 1n);
  const result = divideRounded(numerator, denominator);
  if (result > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`${amount} ${from} in ${to} is beyond exact integers`);
  return Number(result);
}

/** `12345` EUR → `123.45`; `500` JPY → `500`. */
export function formatMinor(amount: number, currency: string): string {
  const digits = minorDigits(currency);
  if (digits === 0) return amount.toLocaleString('en-US');
  const scale = 10 ** digits;
  const whole = Math.trunc(amount / scale).toLocaleString('en-US');
  return `${whole}.${String(Math.abs(amount % scale)).padStart(digits, '0')}`;
}
