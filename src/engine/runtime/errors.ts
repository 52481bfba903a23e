import type { RecordedError } from '../../entities/json.js';
import { AppError } from '../../errors.js';
import { isTransientInfrastructureError } from '../../infra/transient-errors.js';

/** The lease holder was fenced out: another worker owns the execution now. Nothing was written. */
export class LeaseLostError extends Error {
  constructor(readonly executionId: string) {
    super(`lost the lease of execution ${executionId}`);
    this.name = 'LeaseLostError';
  }
}

/** The code of a failure the infrastructure caused; retried by the engine whatever the step's policy says. */
export const TRANSIENT_CODE = 'TRANSIENT';

/** A step failure as recorded: a code, a message, whether retrying can help. */
export function toRecordedError(error: unknown): RecordedError {
  if (error instanceof AppError) {
    return {
      code: error.code,
      message: error.message,
      retryable: error.retryable,
      ...(error.details ? { details: JSON.parse(JSON.stringify(error.details)) as RecordedError['details'] } : {}),
    };
  }
  if (isTransientInfrastructureError(error)) {
    return {
      code: TRANSIENT_CODE,
      message: 'a transient infrastructure error (a lost database or network connection) interrupted the step',
      retryable: true,
    };
  }
  // Anything else is a defect: recorded without internals, and not retried blindly.
  return { code: 'INTERNAL_SERVER_ERROR', message: 'the step failed with an internal error', retryable: false };
}
