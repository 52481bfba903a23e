import type { RecordedError } from '../../entities/json.js';
import { AppError } from '../../errors.js';

/** The lease holder was fenced out: another worker owns the execution now. Nothing was written. */
export class LeaseLostError extends Error {
  constructor(readonly executionId: string) {
    super(`lost the lease of execution ${executionId}`);
    this.name = 'LeaseLostError';
  }
}

/** PostgreSQL error classes worth another attempt: serialization failures, deadlocks, lost connections. */
const TRANSIENT_SQLSTATES = /^(40001|40P01|57P0[1-3]|08\w{3}|53300)$/;

/** The SQLSTATE of a database error (pg's errors and MikroORM's wrappers both carry it as `code`). */
function sqlState(error: unknown): string | undefined {
  const code = error && typeof error === 'object' && 'code' in error ? error.code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/** A step failure as recorded: a code, a message, whether retrying can help. */
export function toRecordedError(error: unknown): RecordedError {
  if (error instanceof AppError) {
    return { code: error.code, message: error.message, retryable: error.retryable, ...(error.details ? { details: JSON.parse(JSON.stringify(error.details)) } : {}) };
  }
  const state = sqlState(error);
  if (state && TRANSIENT_SQLSTATES.test(state)) {
    return { code: 'TRANSIENT', message: 'a transient database error interrupted the step', retryable: true };
  }
  // Anything else is a defect: recorded without internals, and not retried blindly.
  return { code: 'INTERNAL_SERVER_ERROR', message: 'the step failed with an internal error', retryable: false };
}
