import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace';
import type { RunSegment } from '../../src/engine/ports.js';
import type { StepOutcome } from '../../src/engine/steps/types.js';
import { activeTracing, startTracing, tracingConfigured, type Tracing } from '../../src/observability/tracing/sdk.js';
import { activeTraceId, executionTraceId, parseTraceParent, segmentSpanId } from '../../src/observability/tracing/trace-context.js';

/** The RunTracer's spans, on the SDK with an in-memory exporter (no database: the engine's calls, made by hand). */
describe('tracing of runs', () => {
  it('is off unless the OTLP endpoint is set, and then nothing is started', async () => {
    expect(tracingConfigured({})).toBe(false);
    expect(tracingConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318' })).toBe(true);
    expect(tracingConfigured({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://localhost:4318/v1/traces' })).toBe(true);
    expect(tracingConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318', OTEL_SDK_DISABLED: 'true' })).toBe(false);
    expect(await startTracing({ env: {} })).toBeUndefined();
    expect(activeTracing()).toBeUndefined();
  });

  it('reads traceparent strictly', () => {
    expect(parseTraceParent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')).toEqual({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: 1,
      isRemote: true,
    });
    for (const bad of [
      undefined,
      '',
      'garbage',
      '00-00000000000000000000000000000000-00f067aa0ba902b7-01',
      '01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    ]) {
      expect(parseTraceParent(bad)).toBeUndefined();
    }
    expect(segmentSpanId('e0a5c1de-8d2c-4a2b-9f3e-2b1c0d9e8f7a', 2)).toMatch(/^[0-9a-f]{16}$/);
    expect(segmentSpanId('e0a5c1de-8d2c-4a2b-9f3e-2b1c0d9e8f7a', 2)).not.toBe(segmentSpanId('e0a5c1de-8d2c-4a2b-9f3e-2b1c0d9e8f7a', 3));
    expect(executionTraceId('E0A5C1DE-8D2C-4A2B-9F3E-2B1C0D9E8F7A')).toBe('e0a5c1de8d2c4a2b9f3e2b1c0d9e8f7a');
  });

  describe('with the SDK', () => {
    const exporter = new InMemorySpanExporter();
    let tracing: Tracing;
    beforeAll(async () => {
      tracing = (await startTracing({ spanProcessors: [new SimpleSpanProcessor({ exporter })] })) as Tracing;
    });
    afterAll(() => tracing?.shutdown());
    beforeEach(() => exporter.reset());

    const executionId = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
    const segment = (epoch: number, traceParent?: string): RunSegment => ({
      workflow: 'onboard',
      executionId,
      tenantId: 't-1',
      version: 3,
      epoch,
      traceParent,
      requestId: 'r-1',
    });
    /** Spans are handed to the exporter once the resource's attributes are detected: flushed first. */
    const named = async (name: string): Promise<ReadableSpan> => {
      await tracing.flush();
      const span = exporter.getFinishedSpans().find((each) => each.name === name);
      if (!span)
        throw new Error(
          `no span ${name}: ${exporter
            .getFinishedSpans()
            .map((each) => each.name)
            .join(', ')}`,
        );
      return span;
    };

    it('puts a segment under the stored traceparent, its steps under it, and links it to the segment before', async () => {
      const caller = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
      const { runTracer } = tracing;
      let traceInside: string | undefined;
      await runTracer.segment(segment(2, caller), async () => {
        traceInside = activeTraceId();
        expect(runTracer.traceParent()).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
        await runTracer.step({ executionId, key: 'create', type: 'service_call', attempt: 1 }, async (): Promise<StepOutcome> => ({
          kind: 'completed',
          output: {},
        }));
        await runTracer.step({ executionId, key: 'notify', type: 'service_call', attempt: 2 }, async (): Promise<StepOutcome> => ({
          kind: 'failed',
          error: { code: 'EXTERNAL_UNAVAILABLE', message: 'down', retryable: true },
        }));
        runTracer.observer.executionParked({ workflow: 'onboard', executionId, tenantId: 't-1', status: 'waiting', wakeAt: undefined });
      });
      expect(traceInside).toBe('4bf92f3577b34da6a3ce929d0e0e4736');

      const run = await named('run onboard');
      expect(run.spanContext().traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
      expect(run.spanContext().spanId).toBe(segmentSpanId(executionId, 2));
      expect(run.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
      expect(run.links.map((link) => link.context.spanId)).toEqual([segmentSpanId(executionId, 1)]);
      expect(run.attributes).toMatchObject({
        'switchyard.execution.id': executionId,
        'switchyard.workflow.name': 'onboard',
        'switchyard.workflow.version': 3,
        'switchyard.run.segment': 2,
        'switchyard.run.status': 'waiting',
        'switchyard.request.id': 'r-1',
      });
      const create = await named('step create');
      expect(create.parentSpanContext?.spanId).toBe(run.spanContext().spanId);
      expect(create.attributes).toMatchObject({
        'switchyard.step.key': 'create',
        'switchyard.step.attempt': 1,
        'switchyard.step.status': 'completed',
        'switchyard.workflow.name': 'onboard',
      });
      const notify = await named('step notify');
      expect(notify.attributes).toMatchObject({
        'switchyard.step.attempt': 2,
        'switchyard.step.status': 'failed',
        'switchyard.error.code': 'EXTERNAL_UNAVAILABLE',
      });
      expect(notify.status.code).toBe(2);
    });

    it('gives a run started without a trace its execution id as trace id, and marks a failed run', async () => {
      const { runTracer } = tracing;
      await runTracer.segment(segment(1), async () => {
        runTracer.observer.executionFinished({
          workflow: 'onboard',
          executionId,
          tenantId: 't-1',
          status: 'failed',
          seconds: 1,
          code: 'NOT_FOUND',
        });
      });
      const run = await named('run onboard');
      expect(run.spanContext().traceId).toBe(executionTraceId(executionId));
      expect(run.parentSpanContext).toBeUndefined();
      expect(run.links).toEqual([]);
      expect(run.attributes).toMatchObject({ 'switchyard.run.status': 'failed', 'switchyard.error.code': 'NOT_FOUND' });
      expect(run.status.code).toBe(2);
    });

    it('says a segment that ended without parking or finishing was released', async () => {
      await tracing.runTracer.segment(segment(4), async () => undefined);
      expect((await named('run onboard')).attributes['switchyard.run.status']).toBe('released');
    });
  });
});
