/**
 * A token bucket per key (a tenant, an API key, an anonymous address), in this process's memory: with
 * N API processes a client gets up to N times the rate, which is acceptable for a guard against
 * runaway clients; an exact shared limit would need Redis.
 */
export interface RateLimitSettings {
  /** Sustained requests per minute per key; 0 turns the limit off. */
  perMinute: number;
  /** Requests a key may make at once before the sustained rate applies. */
  burst: number;
}

export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface RateLimiter {
  take(key: string): RateLimitDecision;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** Above this many keys, full (idle) buckets are forgotten: they would behave the same when recreated. */
const SWEEP_ABOVE = 10_000;

export function createRateLimiter(settings: RateLimitSettings, now: () => number = Date.now): RateLimiter {
  const buckets = new Map<string, Bucket>();
  const perMs = settings.perMinute / 60_000;
  const capacity = Math.max(1, settings.burst);

  const refill = (bucket: Bucket, at: number) => {
    bucket.tokens = Math.min(capacity, bucket.tokens + (at - bucket.updatedAt) * perMs);
    bucket.updatedAt = at;
  };

  return {
    take(key) {
      if (settings.perMinute === 0) return { allowed: true };
      const at = now();
      let bucket = buckets.get(key);
      if (!bucket) {
        if (buckets.size >= SWEEP_ABOVE) {
          for (const [other, candidate] of buckets) {
            refill(candidate, at);
            if (candidate.tokens >= capacity) buckets.delete(other);
          }
        }
        bucket = { tokens: capacity, updatedAt: at };
        buckets.set(key, bucket);
      }
      refill(bucket, at);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { allowed: true };
      }
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000)) };
    },
  };
}
