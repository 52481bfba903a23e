import type { RetryPolicy, WorkflowDefinition } from '../engine/definition/step-types.js';

/** A workflow Switchyard ships with: seeded into a tenant on first start (see seed.ts). */
export interface BuiltInWorkflow {
  name: string;
  /**
   * Raised with every change to the definition (tests/fixtures/built-in-revisions.test.ts pins each
   * revision's definition): a tenant holding an older revision it has not edited is given this one as a
   * new version at start (seed.ts). 1 is any definition seeded before revisions were kept.
   */
  revision: number;
  description: string;
  tags: string[];
  definition: WorkflowDefinition;
}

/** What a built-in definition is built for: the tenant it is seeded into (the default of `tenant_id`). */
export interface BuiltInOptions {
  tenantId: string;
}

/**
 * Steps that reach a system outside (the payment provider, NetBox, GenieACS): retried with exponential
 * backoff and full jitter while the error says it is worth it (EXTERNAL_UNAVAILABLE, a collision), never
 * on a permanent error (a decline, a missing device). No `retryOn`: it would override the error's own
 * `retryable` flag, and an ACS that answers 404 must not be asked again.
 */
export const EXTERNAL_RETRY: RetryPolicy = {
  maxAttempts: 5,
  initialIntervalSeconds: 2,
  backoffRate: 2,
  maxDelaySeconds: 60,
  jitter: 'full',
};

/** Local steps whose only transient failure is a lost race (an allocation colliding with a concurrent one). */
export const COLLISION_RETRY: RetryPolicy = {
  maxAttempts: 3,
  initialIntervalSeconds: 1,
  backoffRate: 2,
  maxDelaySeconds: 10,
  jitter: 'full',
};

/** JSONata: a UTC calendar day `days` from now, `YYYY-MM-DD` (a transform's output is recorded, so a replay keeps it). */
export function dayFromNow(days: number): string {
  return `$fromMillis($millis() + ${days * 86_400_000}, '[Y0001]-[M01]-[D01]')`;
}

/** JSONata: integer minor units as a decimal amount (`149000` → `1,490.00`), for e-mails. */
export function formattedAmount(path: string): string {
  return `$formatNumber(${path} / 100, '#,##0.00')`;
}

/**
 * A string literal for JSONata (JSON's string syntax is JSONata's), so a value built into an
 * expression cannot break out of it.
 */
export function literal(value: string): string {
  return JSON.stringify(value);
}

/** The seven-day window a customer has to accept a renewal quote. */
export const RENEWAL_ACCEPTANCE_SECONDS = 7 * 24 * 60 * 60;
