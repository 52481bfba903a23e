import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { AppError } from '../../errors.js';

/**
 * Runs a write whose conflicts the database detects (two concurrent calls creating the same natural
 * key): a unique violation becomes CONFLICT with `message`; everything else propagates unchanged.
 */
export async function conflictOnDuplicate<T>(write: () => Promise<T>, message: string, details?: Record<string, unknown>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) throw new AppError('CONFLICT', message, { cause: error, details });
    throw error;
  }
}
