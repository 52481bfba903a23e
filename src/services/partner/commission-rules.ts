/** One basis point is 1/10 000. */
export const BASIS_POINTS = 10_000;

/**
 * `amount × rate` in integer minor units, rounded half up, computed in BigInt so no product of two large
 * integers loses precision on the way.
 */
export function applyBasisPoints(amount: number, rateBps: number): number {
  const scaled = BigInt(amount) * BigInt(rateBps) + BigInt(BASIS_POINTS / 2);
  return Number(scaled / BigInt(BASIS_POINTS));
}
