/**
 * `node --import ./dist/src/observability/tracing/preload.js dist/src/main.js`: starts OpenTelemetry
 * before the application's modules load, so that the instrumentations of pg, ioredis, graphql and http
 * see them (ESM imports are hooked through import-in-the-middle, for the instrumented modules only).
 * Without the OTEL_EXPORTER_OTLP_* variables it does nothing and loads nothing.
 */
import { register } from 'node:module';
import { startTracing, tracingConfigured } from './sdk.js';

if (tracingConfigured()) {
  const { createAddHookMessageChannel } = await import('import-in-the-middle');
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);
  await startTracing();
  await waitForAllMessagesAcknowledged();
}
