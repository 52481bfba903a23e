import {
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import { CloseCode, type Context, type SubscribePayload } from 'graphql-ws';
import type { Extra } from 'graphql-ws/use/ws';
import { AppError } from '../errors.js';
import { errorExtensions } from '../http/error-codes.js';
import type { Logger } from '../logger.js';
import type { Authenticator } from './auth-service.js';
import { credentialOf } from './http-guard.js';
import { queryLimitRules, tooManyTokens } from './query-limits.js';
import type { RateLimiter } from './rate-limit.js';
import { viewerBucket, type Viewer } from './viewer.js';

/** What a websocket connection carries between graphql-ws callbacks. */
export type WsExtra = {
  requestId?: string;
  viewer?: Viewer;
  /** Cancels the close set for the credential's expiry. */
  cancelExpiry?: (() => void) | undefined;
  /** Stops watching the user's account (deactivation, another role close the socket). */
  unwatch?: (() => void) | undefined;
};

/** Sets off a task when a credential expires: injected so that tests set it off instead of waiting for it. */
export interface ExpiryAlarm {
  /** Runs `task` at `at` (at once if that has passed); the function returned cancels it. */
  set(at: Date, task: () => void): () => void;
}

/** Timers that do not keep the process alive (a token expiring is no reason to stay up). */
export const systemExpiryAlarm: ExpiryAlarm = {
  set(at, task) {
    const timer = setTimeout(task, Math.max(0, at.getTime() - Date.now()));
    timer.unref();
    return () => clearTimeout(timer);
  },
};

export type WsContext = Context<Record<string, unknown> | undefined, Extra & Partial<WsExtra>>;

export interface WsGuard {
  /** connection_init: a valid credential in the payload (`{ authorization: 'Bearer …' }`), or close 4403. */
  onConnect(ctx: WsContext): Promise<boolean>;
  /** Each operation: the viewer revalidated, rate-limited, and the document parsed and checked as over HTTP. */
  onSubscribe(ctx: WsContext, id: string, payload: SubscribePayload): Promise<ExecutionArgs | readonly GraphQLError[]>;
  onClose(ctx: WsContext): void;
}

export function createWsGuard(deps: {
  schema: GraphQLSchema;
  authenticator: Authenticator;
  rateLimiter: RateLimiter;
  production: boolean;
  logger: Logger;
  /** Default: timers. */
  expiryAlarm?: ExpiryAlarm | undefined;
}): WsGuard {
  const { schema, authenticator, rateLimiter, production, logger, expiryAlarm = systemExpiryAlarm } = deps;
  const rules: ValidationRule[] = [...specifiedRules, ...queryLimitRules(), ...(production ? [NoSchemaIntrospectionCustomRule] : [])];

  const forbid = (ctx: WsContext, reason: string) => {
    logger.debug({ requestId: ctx.extra.requestId, reason }, 'websocket closed: forbidden');
    ctx.extra.socket.close(CloseCode.Forbidden, 'Forbidden');
  };

  /**
   * Authentication failures close the socket with 4403. Anything else (the database down…) is logged
   * with the request id and rethrown without its message: graphql-ws would put it in the close reason.
   */
  const authenticated = async (ctx: WsContext, attempt: () => Promise<Viewer>): Promise<Viewer | undefined> => {
    try {
      return await attempt();
    } catch (error) {
      if (error instanceof AppError && (error.code === 'UNAUTHENTICATED' || error.code === 'TENANT_SUSPENDED')) {
        forbid(ctx, error.message);
        return undefined;
      }
      logger.error({ err: error, requestId: ctx.extra.requestId }, 'websocket authentication failed');
      throw new Error(`Internal server error (request ${ctx.extra.requestId ?? 'unknown'})`, { cause: error });
    }
  };

  return {
    async onConnect(ctx) {
      const viewer = await authenticated(ctx, async () => {
        const credential = credentialOf(ctx.connectionParams ?? {});
        if (!credential) throw new AppError('UNAUTHENTICATED', 'connection_init carries no credential');
        return authenticator.authenticate(credential);
      });
      if (!viewer) return false;
      ctx.extra.viewer = viewer;
      if (viewer.expiresAt) {
        // The token ends, and so does the connection it opened: the client reconnects with a new one.
        ctx.extra.cancelExpiry = expiryAlarm.set(viewer.expiresAt, () => forbid(ctx, 'token expired'));
      }
      // Deactivated, or given another role: the socket closes, and the client reconnects as what it is now.
      ctx.extra.unwatch = authenticator.watch?.(viewer, () => forbid(ctx, 'account changed'));
      return true;
    },

    async onSubscribe(ctx, _id, payload) {
      const current = ctx.extra.viewer;
      const viewer = current && (await authenticated(ctx, () => authenticator.revalidate(current)));
      if (!viewer) return [new GraphQLError('not authenticated', { extensions: { code: 'UNAUTHENTICATED' } })];
      ctx.extra.viewer = viewer;

      const decision = rateLimiter.take(viewerBucket(viewer));
      if (!decision.allowed) {
        return [
          new GraphQLError(`rate limit exceeded; retry in ${decision.retryAfterSeconds} s`, {
            extensions: errorExtensions('RATE_LIMITED', true, { retryAfterSeconds: decision.retryAfterSeconds }),
          }),
        ];
      }
      const tokens = tooManyTokens(payload.query);
      if (tokens) return [tokens];

      let document: DocumentNode;
      try {
        document = parse(payload.query);
      } catch (error) {
        if (!(error instanceof GraphQLError)) throw error;
        return [
          new GraphQLError(error.message, {
            source: error.source,
            positions: error.positions,
            extensions: { code: 'GRAPHQL_PARSE_FAILED' },
          }),
        ];
      }
      const errors = validate(schema, document, rules);
      if (errors.length > 0) return production ? errors.map(withoutSuggestions) : errors;
      return { schema, document, operationName: payload.operationName, variableValues: payload.variables };
    },

    onClose(ctx) {
      ctx.extra.cancelExpiry?.();
      ctx.extra.unwatch?.();
    },
  };
}

/** As Apollo's hideSchemaDetailsFromClientErrors: no "Did you mean …?" that would reveal the schema. */
function withoutSuggestions(error: GraphQLError): GraphQLError {
  return new GraphQLError(error.message.replace(/ ?Did you mean(.+?)\?$/, ''), {
    nodes: error.nodes ?? null,
    extensions: error.extensions,
    originalError: error.originalError,
  });
}
