import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import express, { type ErrorRequestHandler } from 'express';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Authenticator } from '../auth/auth-service.js';
import { createHttpGuard } from '../auth/http-guard.js';
import { codeOfQueryLimit, queryLimitRules } from '../auth/query-limits.js';
import type { RateLimiter } from '../auth/rate-limit.js';
import type { Viewer } from '../auth/viewer.js';
import { createWsGuard, type ExpiryAlarm, type WsExtra } from '../auth/ws-guard.js';
import type { RequestContext } from '../context.js';
import { StartupError, systemErrorCode } from '../errors.js';
import type { Logger } from '../logger.js';
import { compiledExecutionGateway } from './compiled-execution.js';
import { createConsoleRouter } from './console.js';
import { errorExtensions } from './error-codes.js';
import { createErrorFormatter } from './format-error.js';
import { createPlaygroundRouter, wantsPlayground } from './graphiql.js';
import { createGraphqlHttpHandler, MAX_BODY_BYTES, refusePayloadTooLarge } from './graphql-http.js';
import { evaluateReadiness, type ReadinessCheck } from './health.js';
import { METRICS_PATH, type MetricsHandler } from './metrics-endpoint.js';

export const GRAPHQL_PATH = '/graphql';

export type { ReadinessCheck };

export interface HttpServerDeps {
  schema: GraphQLSchema;
  /** Builds the context of one HTTP request or one subscription operation. */
  createContext(requestId: string, viewer: Viewer | undefined): RequestContext;
  authenticator: Authenticator;
  rateLimiter: RateLimiter;
  readiness: readonly ReadinessCheck[];
  logger: Logger;
  production: boolean;
  shutdownGraceSeconds: number;
  /** `GET /metrics` on this port too (it checks its own token, if any). */
  metrics?: MetricsHandler;
  /**
   * Queries and mutations over HTTP run as graphql-jit compiled functions (compiled-execution.ts);
   * off, graphql-js executes them (as it always does subscriptions), which tracing's GraphQL spans need.
   */
  compiledExecution?: boolean;
  /** More Apollo plugins (the GraphQL request metrics). */
  plugins?: ApolloServerPlugin<BaseContext>[];
  /** `POST /webhooks/<source>`: inbound webhooks (src/webhooks), read raw for their signatures. */
  webhooks?: (req: http.IncomingMessage, res: http.ServerResponse) => void;
  /** Closes a websocket when its token expires; tests set it off by hand. Default: timers. */
  tokenExpiryAlarm?: ExpiryAlarm | undefined;
}

export interface HttpServer {
  /** Resolves with the bound port; a port in use is a StartupError naming PORT. */
  listen(port: number, host: string): Promise<number>;
  /** Stops accepting, lets in-flight requests finish, closes websockets. */
  stop(): Promise<void>;
  /** Open websocket connections, and the operations (subscriptions) running on them, now. */
  websockets(): { connections: number; subscriptions: number };
}

export async function createHttpServer(deps: HttpServerDeps): Promise<HttpServer> {
  const { schema, logger } = deps;
  const formatError = createErrorFormatter(logger);
  const app = express();
  app.disable('x-powered-by');
  // GraphQL requests go straight to Apollo (graphql-http.ts); express serves the rest.
  let graphqlHandler: ((req: http.IncomingMessage, res: http.ServerResponse) => void) | undefined;
  const httpServer = http.createServer((req, res) => {
    const url = req.url ?? '/';
    const pathEnd = url.indexOf('?');
    const pathname = pathEnd === -1 ? url : url.slice(0, pathEnd);
    if (graphqlHandler && pathname === GRAPHQL_PATH && !(!deps.production && wantsPlayground(req))) graphqlHandler(req, res);
    else if (deps.metrics && pathname === METRICS_PATH) deps.metrics(req, res);
    else if (deps.webhooks && pathname.startsWith('/webhooks/')) deps.webhooks(req, res);
    else app(req, res);
  });

  // `Expect: 100-continue` with a declared body over the limit: refused before the client sends it.
  httpServer.on('checkContinue', (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (Number(req.headers['content-length']) > MAX_BODY_BYTES) {
      refusePayloadTooLarge(res);
      return;
    }
    res.writeContinue();
    httpServer.emit('request', req, res);
  });

  // Upgrades are routed by hand (noServer) so that HTTP listen errors stay ours to report.
  const wsServer = new WebSocketServer({ noServer: true });
  httpServer.on('upgrade', (request, socket, head) => {
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== GRAPHQL_PATH) {
      socket.destroy();
      return;
    }
    wsServer.handleUpgrade(request, socket, head, (ws) => wsServer.emit('connection', ws, request));
  });
  const wsRequestIds = new WeakMap<object, string>();
  /** Connections past their connection_init, with the operations each runs (graphql-ws keeps them by id). */
  const wsContexts = new Set<{ subscriptions: Record<string, unknown> }>();
  const wsGuard = createWsGuard({
    schema,
    authenticator: deps.authenticator,
    rateLimiter: deps.rateLimiter,
    production: deps.production,
    logger,
    expiryAlarm: deps.tokenExpiryAlarm,
  });
  const wsServerCleanup = useServer<Record<string, unknown> | undefined, WsExtra>(
    {
      schema,
      context: (ctx, id) => {
        const requestId = `${ctx.extra.requestId ?? 'ws'}:${id}`;
        wsRequestIds.set(ctx, requestId);
        return deps.createContext(requestId, ctx.extra.viewer);
      },
      onConnect: (ctx) => {
        ctx.extra.requestId = randomUUID();
        wsContexts.add(ctx);
        return wsGuard.onConnect(ctx);
      },
      // Authentication again, the rate limit, and the same document limits as over HTTP.
      onSubscribe: (ctx, id, payload) => wsGuard.onSubscribe(ctx, id, payload),
      onClose: (ctx) => {
        wsContexts.delete(ctx);
        return wsGuard.onClose(ctx);
      },
      onNext: (ctx, _id, _payload, _args, result) => {
        if (!result.errors) return;
        const requestId = wsRequestIds.get(ctx);
        const errors = result.errors.map((error) => formatError(error.toJSON(), error, requestId));
        // An execution's result always has `data` (null when an error kept it from one); graphql-ws types it loosely.
        const { data = null, hasNext, extensions } = result;
        return { data, errors, ...(hasNext === undefined ? {} : { hasNext }), ...(extensions === undefined ? {} : { extensions }) };
      },
      onError: (_ctx, _id, _payload, errors): GraphQLFormattedError[] =>
        errors.map((error) => {
          const { code, retryable, details } = error.extensions;
          // Its message and locations (toJSON leaves out what it lacks), not its path: a refused document has none.
          const { path: _path, ...shown } = error.toJSON();
          return {
            ...shown,
            extensions: errorExtensions(
              typeof code === 'string' ? code : 'GRAPHQL_VALIDATION_FAILED',
              typeof retryable === 'boolean' ? retryable : undefined,
              isRecord(details) ? details : undefined,
            ),
          };
        }),
    },
    wsServer,
  );

  const apollo = new ApolloServer<RequestContext>({
    ...(deps.compiledExecution ? { gateway: compiledExecutionGateway(schema) } : { schema }),
    csrfPrevention: true,
    // Shutdown is ours: drain HTTP and websockets, then the worker, pool and database, in that order.
    stopOnTerminationSignals: false,
    allowBatchedHttpRequests: false,
    introspection: !deps.production,
    // No "Did you mean …?" suggestions that would reveal the schema.
    hideSchemaDetailsFromClientErrors: deps.production,
    validationRules: queryLimitRules(),
    includeStacktraceInErrorResponses: false,
    formatError: (formatted, error) => {
      // Apollo reports every validation error as GRAPHQL_VALIDATION_FAILED; a query limit keeps its own code.
      const limit = codeOfQueryLimit(error);
      return formatError(limit ? { ...formatted, extensions: { ...formatted.extensions, code: limit } } : formatted, error);
    },
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: deps.shutdownGraceSeconds * 1000 }),
      ApolloServerPluginLandingPageDisabled(),
      // We set no cache hints; left on, it wraps every field resolver to collect them (a third of a list query's time).
      ApolloServerPluginCacheControlDisabled(),
      ...(deps.plugins ?? []),
      {
        async serverWillStart() {
          return { drainServer: async () => void (await wsServerCleanup.dispose()) };
        },
      },
      {
        // Internal errors are logged with the request's id: put it on the context's logger too.
        async requestDidStart({ contextValue }) {
          return {
            async didEncounterErrors({ errors }) {
              for (const error of errors) {
                if (!error.extensions?.['code'] || error.extensions['code'] === 'INTERNAL_SERVER_ERROR') {
                  contextValue.logger.debug({ err: error, requestId: contextValue.requestId }, 'request error');
                }
              }
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const { ready, body } = await evaluateReadiness(deps.readiness, logger);
    res.status(ready ? 200 : 503).json(body);
  });
  // GraphiQL for browsers (GET /graphql, Accept: text/html), where introspection is on.
  if (!deps.production) app.use(createPlaygroundRouter(GRAPHQL_PATH));
  // The console at `/` and its client-side routes, in production too (it is the product).
  app.use(createConsoleRouter(GRAPHQL_PATH));
  graphqlHandler = createGraphqlHttpHandler({
    apollo,
    guard: createHttpGuard({ authenticator: deps.authenticator, rateLimiter: deps.rateLimiter }),
    createContext: deps.createContext,
    logger,
  });
  app.use(jsonErrorHandler(logger));

  return {
    listen(port, host) {
      return new Promise((resolve, reject) => {
        const onError = (error: Error) => {
          const code = systemErrorCode(error);
          if (code === 'EADDRINUSE') reject(new StartupError('PORT', `PORT ${port} is already in use on ${host}; set PORT to a free port`));
          else if (code === 'EACCES')
            reject(new StartupError('PORT', `PORT ${port} needs privileges this process does not have; set PORT above 1023`));
          else if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
            reject(new StartupError('HOST', `HOST ${host} is not an address of this machine`));
          else reject(error);
        };
        httpServer.once('error', onError);
        httpServer.listen(port, host, () => {
          httpServer.off('error', onError);
          resolve((httpServer.address() as AddressInfo).port);
        });
      });
    },
    async stop() {
      await apollo.stop();
    },
    websockets() {
      let subscriptions = 0;
      for (const ctx of wsContexts) subscriptions += Object.keys(ctx.subscriptions).length;
      return { connections: wsServer.clients.size, subscriptions };
    },
  };
}

/** Errors of the express routes (health, playground) as JSON with a code. */
function jsonErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    logger.error({ err: error }, 'unhandled HTTP error');
    res.status(500).json({ errors: [{ message: 'Internal server error', extensions: errorExtensions('INTERNAL_SERVER_ERROR') }] });
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
