import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * The preload (node --import) of bench:engine's tracing runs (engine/switchyard-run.ts): forks an OTLP
 * receiver process and starts Switchyard's tracing (src/observability/tracing/preload) exporting to it,
 * before the run's modules load — so pg is instrumented as it is in production.
 */
export interface BenchSink {
  readonly url: string;
  /** What the receiver has taken in so far. */
  counts(): Promise<{ count: number; bytes: number; spans: number }>;
  stop(): void;
}

const child: ChildProcess = fork(fileURLToPath(new URL('./otlp-sink.js', import.meta.url)), { execArgv: [], stdio: 'inherit' });
const url = await new Promise<string>((resolve) => child.once('message', (message: { url: string }) => resolve(message.url)));
const sink: BenchSink = {
  url,
  counts: () =>
    new Promise((resolve) => {
      child.once('message', (message: { count: number; bytes: number; spans: number }) => resolve(message));
      child.send('counts');
    }),
  stop: () => child.disconnect(),
};

export function benchSink(): BenchSink {
  return sink;
}

process.env['OTEL_EXPORTER_OTLP_ENDPOINT'] = url;
process.env['OTEL_SERVICE_NAME'] ??= 'switchyard-bench';
// Room for every span of a busy run (the default queue of 2,048 drops spans beyond it): all are exported.
process.env['OTEL_BSP_MAX_QUEUE_SIZE'] ??= '100000';
process.env['OTEL_BSP_MAX_EXPORT_BATCH_SIZE'] ??= '2048';
process.env['OTEL_BSP_SCHEDULE_DELAY'] ??= '1000';
await import('../../src/observability/tracing/preload.js');
