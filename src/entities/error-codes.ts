/**
 * Error codes travel unchanged from where they are raised (a service, the engine, a resolver) to the
 * GraphQL `extensions.code`. Whether an error is worth retrying is carried by the error itself,
 * never guessed from its message. They live here, with no imports, because a run's recorded error
 * (`RecordedError` in json.ts, stored in the engine's tables) carries one; `src/errors.ts` re-exports them.
 */
export const ERROR_CODES = [
  'BAD_USER_INPUT',
  'VALIDATION',
  'NOT_FOUND',
  'CONFLICT',
  'INVALID_STATE',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'TENANT_SUSPENDED',
  'QUOTA_EXCEEDED',
  'PAYMENT_DECLINED',
  'POOL_EXHAUSTED',
  'EXTERNAL_UNAVAILABLE',
  'TIMEOUT',
  'RATE_LIMITED',
  'INTERNAL_SERVER_ERROR',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * Codes only the engine records, beside the ErrorCodes of the AppErrors a step throws: a connection loss
 * (retried by the engine whatever the step's policy), a step that failed without an error of its own, a
 * condition that was false, a cancelled run, a rejected approval, a child run that failed.
 */
export type EngineErrorCode = 'TRANSIENT' | 'STEP_FAILED' | 'CONDITION_FALSE' | 'CANCELLED' | 'APPROVAL_REJECTED' | 'SUB_WORKFLOW_FAILED';

/** What a `RecordedError` (a step's, a run's, a compensation's, a schedule run's) may hold as its code. */
export type RecordedErrorCode = ErrorCode | EngineErrorCode;
