import { AppError } from '../../../../src/errors.js';

/** A call context no step will abort. */
export const ctx = { signal: new AbortController().signal };

/** What an adapter threw: its code and whether a step retries it. */
export async function failure(promise: Promise<unknown>): Promise<{ code: string; retryable: boolean; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return { code: error.code, retryable: error.retryable, message: error.message };
    throw error;
  }
  throw new Error('expected a failure');
}
