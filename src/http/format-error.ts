import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';
import { errorExtensions } from './error-codes.js';

/**
 * Every error leaves with the same `extensions`: `code`, `retryable` and, when there is more to say,
 * `details` (see error-codes.ts). Our own typed errors keep their code, message and details; errors
 * GraphQL raises about the document keep their code; anything else is an internal error: logged with
 * the request id, and answered without its message, stack or SQL.
 */
export function createErrorFormatter(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown, requestId?: string): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof AppError) {
      return { ...formatted, message: original.message, extensions: errorExtensions(original.code, original.retryable, original.details) };
    }
    const code = formatted.extensions?.['code'];
    const isDocumentError = typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR';
    if (isDocumentError) {
      return { ...formatted, extensions: errorExtensions(code, false) };
    }
    // A GraphQLError raised without an original error is about the request (e.g. a bad variable).
    if (original instanceof GraphQLError && !original.originalError && original === error && formatted.locations) {
      return { ...formatted, extensions: errorExtensions('BAD_USER_INPUT', false) };
    }
    logger.error({ err: original, requestId, path: formatted.path }, 'internal error');
    // Where it happened stays (path, not locations); what happened is only in the log.
    const { locations: _locations, ...where } = formatted;
    return {
      ...where,
      message: `Internal server error${requestId ? ` (request ${requestId})` : ''}`,
      extensions: errorExtensions('INTERNAL_SERVER_ERROR', false, requestId ? { requestId } : undefined),
    };
  };
}
