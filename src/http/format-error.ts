import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';

/**
 * Every error leaves with an `extensions.code`. Our own typed errors keep their code and message;
 * errors GraphQL raises about the document keep theirs; anything else is an internal error: logged
 * with the request id, and answered without its message, stack or SQL.
 */
export function createErrorFormatter(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown, requestId?: string): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof AppError) {
      return {
        message: original.message,
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: original.code, retryable: original.retryable, ...(original.details ? { details: original.details } : {}) },
      };
    }
    const code = formatted.extensions?.['code'];
    const isDocumentError = typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR';
    if (isDocumentError) {
      return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code } };
    }
    // A GraphQLError raised without an original error is about the request (e.g. a bad variable).
    if (original instanceof GraphQLError && !original.originalError && original === error && formatted.locations) {
      return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code: 'BAD_USER_INPUT' } };
    }
    logger.error({ err: original, requestId, path: formatted.path }, 'internal error');
    return {
      message: `Internal server error${requestId ? ` (request ${requestId})` : ''}`,
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR', ...(requestId ? { requestId } : {}) },
    };
  };
}
