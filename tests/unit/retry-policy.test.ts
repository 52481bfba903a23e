import { INFRASTRUCTURE_RETRY, retryDelayMs, retryPolicyFor, shouldRetry } from '../../src/engine/runtime/retry-policy.js';

const fixed = (value: number) => () => value;

describe('retryDelayMs', () => {
  it('grows exponentially from the initial interval, without jitter', () => {
    const policy = { maxAttempts: 10, initialIntervalSeconds: 3, backoffRate: 1.5, jitter: 'none' as const };
    expect([1, 2, 3, 4].map((attempts) => retryDelayMs(policy, attempts))).toEqual([3000, 4500, 6750, 10125]);
  });

  it('uses the defaults: 1 s, ×2, capped at 300 s, full jitter', () => {
    const half = fixed(0.5);
    expect([1, 2, 3, 4, 9, 10, 11].map((attempts) => retryDelayMs({ maxAttempts: 20 }, attempts, half))).toEqual([
      500, 1000, 2000, 4000, 128000, 150000, 150000,
    ]);
  });

  it('caps at maxDelaySeconds and stays finite however many attempts', () => {
    const policy = { maxAttempts: 100, initialIntervalSeconds: 1, backoffRate: 10, maxDelaySeconds: 45, jitter: 'none' as const };
    expect(retryDelayMs(policy, 2)).toBe(10000);
    expect(retryDelayMs(policy, 3)).toBe(45000);
    expect(retryDelayMs(policy, 5000)).toBe(45000);
  });

  it('full jitter spreads over [0, d], equal jitter over [d/2, d]', () => {
    const full = { maxAttempts: 5, initialIntervalSeconds: 8, jitter: 'full' as const };
    const equal = { ...full, jitter: 'equal' as const };
    expect(retryDelayMs(full, 1, fixed(0))).toBe(0);
    expect(retryDelayMs(full, 1, fixed(0.25))).toBe(2000);
    expect(retryDelayMs(full, 2, fixed(0.999))).toBe(15984);
    expect(retryDelayMs(equal, 1, fixed(0))).toBe(4000);
    expect(retryDelayMs(equal, 1, fixed(0.5))).toBe(6000);
    expect(retryDelayMs(equal, 2, fixed(0.999))).toBe(15992);
  });

  it('allows a zero interval', () => {
    expect(retryDelayMs({ maxAttempts: 3, initialIntervalSeconds: 0 }, 2, fixed(0.7))).toBe(0);
  });

  it('refuses an attempt count below 1', () => {
    expect(() => retryDelayMs({ maxAttempts: 3 }, 0)).toThrow(RangeError);
    expect(() => retryDelayMs({ maxAttempts: 3 }, 1.5)).toThrow(RangeError);
  });
});

describe('shouldRetry', () => {
  const transient = { code: 'EXTERNAL_UNAVAILABLE', retryable: true };
  const permanent = { code: 'VALIDATION', retryable: false };

  it('never retries without a policy', () => {
    expect(shouldRetry(undefined, 1, transient)).toBe(false);
  });

  it('follows the error when there is no retryOn', () => {
    expect(shouldRetry({ maxAttempts: 3 }, 1, transient)).toBe(true);
    expect(shouldRetry({ maxAttempts: 3 }, 1, permanent)).toBe(false);
  });

  it('follows retryOn when given, whatever the error says', () => {
    const policy = { maxAttempts: 3, retryOn: ['VALIDATION', 'TIMEOUT'] };
    expect(shouldRetry(policy, 1, permanent)).toBe(true);
    expect(shouldRetry(policy, 1, transient)).toBe(false);
  });

  it('stops at maxAttempts', () => {
    expect(shouldRetry({ maxAttempts: 3 }, 2, transient)).toBe(true);
    expect(shouldRetry({ maxAttempts: 3 }, 3, transient)).toBe(false);
    expect(shouldRetry({ maxAttempts: 1 }, 1, transient)).toBe(false);
  });
});

describe('retryPolicyFor', () => {
  const transient = { code: 'TRANSIENT', retryable: true };
  const declined = { code: 'PAYMENT_DECLINED', retryable: false };

  it('retries an infrastructure failure of a step that has no policy', () => {
    expect(retryPolicyFor(undefined, 1, transient)).toBe(INFRASTRUCTURE_RETRY);
    expect(retryPolicyFor(undefined, INFRASTRUCTURE_RETRY.maxAttempts, transient)).toBeUndefined();
  });

  it("retries it even when the step's own policy lists other codes only, or is spent", () => {
    expect(retryPolicyFor({ maxAttempts: 3, retryOn: ['TIMEOUT'] }, 1, transient)).toBe(INFRASTRUCTURE_RETRY);
    expect(retryPolicyFor({ maxAttempts: 2 }, 2, transient)).toBe(INFRASTRUCTURE_RETRY);
  });

  it("prefers the step's own policy when that retries it", () => {
    const own = { maxAttempts: 3 };
    expect(retryPolicyFor(own, 1, transient)).toBe(own);
  });

  it('leaves every other failure to the step policy alone', () => {
    expect(retryPolicyFor(undefined, 1, declined)).toBeUndefined();
    expect(retryPolicyFor(undefined, 1, { code: 'EXTERNAL_UNAVAILABLE', retryable: true })).toBeUndefined();
    expect(retryPolicyFor({ maxAttempts: 3, retryOn: ['PAYMENT_DECLINED'] }, 1, declined)).toEqual({
      maxAttempts: 3,
      retryOn: ['PAYMENT_DECLINED'],
    });
  });
});
