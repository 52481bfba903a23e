import { assertNever, type RetryPolicy } from '../definition/step-types.js';

/** The defaults documented on RetryPolicy (step-types.ts). */
export const RETRY_DEFAULTS = {
  initialIntervalSeconds: 1,
  backoffRate: 2,
  maxDelaySeconds: 300,
  jitter: 'full',
} as const satisfies Required<Omit<RetryPolicy, 'maxAttempts' | 'retryOn'>>;

/**
 * Milliseconds to wait before the next attempt, after `attemptsMade` (≥ 1) attempts:
 * initial × rate^(attemptsMade − 1), capped at maxDelay, then jittered — `none`: as is; `full`:
 * uniform in [0, d] (AWS "full jitter"); `equal`: d/2 + uniform in [0, d/2]. `random` returns [0, 1).
 */
export function retryDelayMs(policy: RetryPolicy, attemptsMade: number, random: () => number = Math.random): number {
  if (!Number.isInteger(attemptsMade) || attemptsMade < 1) {
    throw new RangeError(`attemptsMade must be an integer ≥ 1, got ${attemptsMade}`);
  }
  const initial = policy.initialIntervalSeconds ?? RETRY_DEFAULTS.initialIntervalSeconds;
  const rate = policy.backoffRate ?? RETRY_DEFAULTS.backoffRate;
  const cap = policy.maxDelaySeconds ?? RETRY_DEFAULTS.maxDelaySeconds;
  // rate^n overflows to Infinity for large n; min() with the cap keeps the result finite.
  const delayMs = Math.min(initial * rate ** (attemptsMade - 1), cap) * 1000;
  const jitter = policy.jitter ?? RETRY_DEFAULTS.jitter;
  switch (jitter) {
    case 'none':
      return Math.round(delayMs);
    case 'full':
      return Math.round(random() * delayMs);
    case 'equal':
      return Math.round(delayMs / 2 + random() * (delayMs / 2));
    default:
      return assertNever(jitter, 'jitter mode');
  }
}

/**
 * Whether a failed attempt is tried again: never without a policy or once `maxAttempts` attempts were
 * made; with `retryOn`, exactly when the error's code is listed; otherwise when the error says it is
 * retryable.
 */
export function shouldRetry(policy: RetryPolicy | undefined, attemptsMade: number, error: { code: string; retryable: boolean }): boolean {
  if (!policy || attemptsMade >= policy.maxAttempts) return false;
  return policy.retryOn ? policy.retryOn.includes(error.code) : error.retryable;
}
