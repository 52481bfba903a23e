import { trace } from '@opentelemetry/api';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { SpanProcessor } from '@opentelemetry/sdk-trace';
import { createRunTracer, type TracingRunTracer } from './run-tracer.js';

/**
 * OpenTelemetry traces, on only when the standard variables ask for them: `OTEL_EXPORTER_OTLP_ENDPOINT`
 * (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) set, `OTEL_SDK_DISABLED` not `true`. The OTLP exporter is the
 * SDK's own, configured from the environment (`OTEL_EXPORTER_OTLP_PROTOCOL`: `http/protobuf`, the
 * default, `http/json` or `grpc`; `OTEL_SERVICE_NAME`, default `switchyard`; headers, sampler, batch
 * delays). Off, nothing here is even loaded: the SDK comes in by dynamic import.
 *
 * The instrumentations patch modules as they load, so the SDK must start before pg, ioredis, graphql
 * and http are imported: `node --import ./dist/src/observability/tracing/preload.js dist/src/main.js`
 * (what `npm start` runs) does that.
 */

/** URL paths whose requests are not traced: scrapes and probes. */
const UNTRACED_PATHS = new Set(['/metrics', '/healthz', '/readyz']);
/**
 * Query parameters a server span shows as REDACTED (`url.query`): the instrumentation's defaults (signed
 * URLs' signatures and credentials; the option replaces them, so they are repeated) and `token`, the
 * one-time token of the console page an invitation or a reset e-mail links to.
 */
export const REDACTED_QUERY_PARAMS = [
  'sig',
  'Signature',
  'AWSAccessKeyId',
  'X-Goog-Signature',
  'X-Amz-Signature',
  'X-Amz-Credential',
  'X-Amz-Security-Token',
  'token',
] as const;

export interface Tracing {
  /** The engine's port (runs, steps) and its observer. */
  readonly runTracer: TracingRunTracer;
  readonly instrumentations: readonly Instrumentation[];
  /** Exports what is buffered (tests, before reading an in-memory exporter). */
  flush(): Promise<void>;
  /** Exports what is buffered and stops. */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  env?: NodeJS.ProcessEnv;
  /** Tests and benchmarks: where spans go, instead of the OTLP exporter the environment describes. */
  spanProcessors?: SpanProcessor[];
}

let running: Tracing | undefined;

export function tracingConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env['OTEL_SDK_DISABLED']?.trim().toLowerCase() === 'true') return false;
  return Boolean(env['OTEL_EXPORTER_OTLP_ENDPOINT']?.trim() || env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']?.trim());
}

/** The tracing this process started, if any. */
export function activeTracing(): Tracing | undefined {
  return running;
}

/**
 * Starts the SDK once per process (again: the same one). Without `spanProcessors`, only when
 * `tracingConfigured`; returns undefined otherwise.
 */
export async function startTracing(options: TracingOptions = {}): Promise<Tracing | undefined> {
  if (running) return running;
  const env = options.env ?? process.env;
  if (!options.spanProcessors && !tracingConfigured(env)) return undefined;
  const [{ NodeSDK }, { SegmentIds }, instrumentations] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('./ids.js'),
    loadInstrumentations(),
  ]);
  const ids = new SegmentIds();
  const sdk = new NodeSDK({
    serviceName: env['OTEL_SERVICE_NAME']?.trim() || 'switchyard',
    instrumentations,
    idGenerator: ids,
    // Traces only: the metrics are Prometheus's (GET /metrics), the logs pino's.
    metricReaders: [],
    logRecordProcessors: [],
    ...(options.spanProcessors ? { spanProcessors: options.spanProcessors } : {}),
  });
  sdk.start();
  running = {
    runTracer: createRunTracer({ ids }),
    instrumentations,
    async flush() {
      const provider = trace.getTracerProvider() as { getDelegate?: () => { forceFlush?: () => Promise<void> } };
      await provider.getDelegate?.().forceFlush?.();
    },
    async shutdown() {
      running = undefined;
      for (const instrumentation of instrumentations) instrumentation.disable();
      await sdk.shutdown();
    },
  };
  return running;
}

async function loadInstrumentations(): Promise<Instrumentation[]> {
  const [
    { HttpInstrumentation },
    { UndiciInstrumentation },
    { GraphQLInstrumentation },
    { PgInstrumentation },
    { IORedisInstrumentation },
  ] = await Promise.all([
    import('@opentelemetry/instrumentation-http'),
    import('@opentelemetry/instrumentation-undici'),
    import('@opentelemetry/instrumentation-graphql'),
    import('@opentelemetry/instrumentation-pg'),
    import('@opentelemetry/instrumentation-ioredis'),
  ]);
  return [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.has((request.url ?? '/').split('?')[0] ?? '/'),
      redactedQueryParamsServer: [...REDACTED_QUERY_PARAMS],
    }),
    // fetch (GenieACS, NetBox, webhooks): undici's diagnostics channels; `traceparent` goes out on each request.
    new UndiciInstrumentation(),
    // Spans for the operation and its root fields (the resolvers that do the work). type-graphql gives
    // every field a resolver, so the instrumentation cannot tell a property read from work: deeper fields
    // get no span of their own, and what they do (a DataLoader's SQL) nests under their root field.
    new GraphQLInstrumentation({ ignoreTrivialResolveSpans: true, mergeItems: true, depth: 1 }),
    // Only SQL inside a traced request or run: the worker's polls and the scheduler's ticks stay out.
    new PgInstrumentation({ requireParentSpan: true }),
    new IORedisInstrumentation({ requireParentSpan: true }),
  ];
}
