import { assertNever, type RetryPolicy } from '../definition/step-types.js';
import { TRANSIENT_CODE } from './errors.js';

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

/**
 * How the engine retries a step that the infrastructure interrupted (code TRANSIENT: a dropped
 * connection, a database restart or failover): a step's own policy need not mention it. About two
 * minutes of attempts in all, enough to ride out a failover.
 */
export const INFRASTRUCTURE_RETRY: RetryPolicy = {
  maxAttempts: 10,
  initialIntervalSeconds: 0.5,
  backoffRate: 2,
  maxDelaySeconds: 30,
  jitter: 'equal',
};

/**
 * The policy that retries this failure, if any: the step's own when it says so; otherwise, for an
 * infrastructure failure, INFRASTRUCTURE_RETRY (its attempts counted with the step's).
 */
export function retryPolicyFor(
  policy: RetryPolicy | undefined,
  attemptsMade: number,
  error: { code: string; retryable: boolean },
): RetryPolicy | undefined {
  if (shouldRetry(policy, attemptsMade, error)) return policy;
  if (error.code === TRANSIENT_CODE && shouldRetry(INFRASTRUCTURE_RETRY, attemptsMade, error)) return INFRASTRUCTURE_RETRY;
  return undefined;
}
