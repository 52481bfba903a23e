import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { startTracing, type Tracing } from '../../src/observability/tracing/sdk.js';
import { customerRenewalProcess } from '../../src/workflows/customer-renewal-process.js';
import { EXPIRING_SOON_SCHEDULE } from '../../src/workflows/expiring-soon.js';
import { commercialFixtures } from '../helpers/commercial-fixtures.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { startTestEngine, type TestEngine } from '../helpers/engine.js';
import { eventually } from '../helpers/eventually.js';
import { executionsOf, recordEvent, simulatedClock } from './triggers/support.js';

/**
 * Issue 14: a run started by a cron schedule has a trace too. Each tick is a `schedule <workflow>/<name>`
 * span, the root of its own trace (the scheduler's pass is no span); the run it starts is its child in
 * every segment, so an operator sees in Jaeger where the run came from — and a tick that started nothing
 * (`overlap: skip`) says so. A built-in schedule (the expiring-soon scan) is a span too, and the renewal runs
 * its events start are in its trace. So is an event recorded without a trace (by an untraced process): its
 * delivery is an `event <name>` span that the runs it starts join. (In-process: the SDK with an in-memory
 * exporter; the scheduler on a simulated clock.)
 */
describe('a scheduled or untraced event’s run in the trace of what started it', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let database: TestDatabase;
  let t: TestEngine;

  beforeAll(async () => {
    tracing = (await startTracing({ spanProcessors: [new SimpleSpanProcessor({ exporter })] })) as Tracing;
    database = await createTestDatabase();
    t = await startTestEngine(database.url, {}, { tracer: tracing.runTracer, observer: tracing.runTracer.observer });
    await t.startWorker();
  });
  afterAll(async () => {
    await t?.stop();
    await Promise.all([database?.drop(), tracing?.shutdown()]);
  });

  const spans = async (): Promise<ReadableSpan[]> => {
    await tracing.flush();
    return exporter.getFinishedSpans();
  };
  /** The finished spans once the run's last segment is among them: it ends after the run's end commits, which waitFor may see first. */
  const spansOnceEnded = (executionId: string): Promise<ReadableSpan[]> =>
    eventually(`the completed segment of run ${executionId} exported`, spans, (finished) =>
      finished.some(
        (span) => span.attributes['switchyard.execution.id'] === executionId && span.attributes['switchyard.run.status'] === 'completed',
      ),
    );

  it('puts each tick’s run under a `schedule <workflow>/<name>` span that roots its trace; a skipped tick is a span too', async () => {
    await t.save('traced_batch', {
      steps: [
        { name: 'released', type: 'wait', event: { name: 'batch.released' } },
        { name: 'done', type: 'transform', output: { done: true } },
      ],
      schedules: [{ name: 'nightly', cron: '0 2 * * *', overlap: 'skip' }],
    });
    const clock = simulatedClock('2030-03-01T00:00:00Z');
    const scheduler = t.engine.scheduler({ clock, graceMs: 1_000, systemSchedules: [] });
    await scheduler.runOnce();

    clock.set('2030-03-01T02:00:00.100Z');
    expect(await scheduler.runOnce()).toMatchObject({ started: 1 });
    const [run] = await executionsOf(t.pool, t.tenantId, 'traced_batch');
    if (!run) throw new Error('the tick started nothing');
    await t.waitFor(run.id, (status) => status === 'waiting');
    clock.set('2030-03-02T02:00:00.100Z');
    expect(await scheduler.runOnce()).toMatchObject({ skipped: 1 });
    expect(await t.engine.deliverEvent({ tenantId: t.tenantId, name: 'batch.released', payload: {}, id: 'traced-release-1' })).toBe(1);
    await t.waitFor(run.id);

    const finished = await spansOnceEnded(run.id);
    const ticks = finished.filter((span) => span.name === 'schedule traced_batch/nightly');
    expect(
      ticks.map((span) => [
        span.attributes['switchyard.schedule.tick'],
        span.attributes['switchyard.schedule.outcome'],
        span.attributes['switchyard.execution.id'],
      ]),
    ).toEqual([
      ['2030-03-01T02:00:00.000Z', 'started', run.id],
      ['2030-03-02T02:00:00.000Z', 'skipped', run.id],
    ]);
    const [tick, skipped] = ticks;
    if (!tick || !skipped) throw new Error('tick spans missing');
    // Each tick roots a trace of its own.
    expect(tick.parentSpanContext).toBeUndefined();
    expect(skipped.parentSpanContext).toBeUndefined();
    expect(skipped.spanContext().traceId).not.toBe(tick.spanContext().traceId);
    expect(tick.attributes).toMatchObject({
      'switchyard.workflow.name': 'traced_batch',
      'switchyard.schedule.name': 'nightly',
      'switchyard.tenant.id': t.tenantId,
    });

    // Both segments of the run (parked on its event, then completed) are children of the tick that started it.
    const segments = finished.filter((span) => span.name === 'run traced_batch' && span.attributes['switchyard.execution.id'] === run.id);
    expect(segments.map((span) => span.attributes['switchyard.run.status'])).toEqual(['waiting', 'completed']);
    for (const segment of segments) {
      expect(segment.spanContext().traceId).toBe(tick.spanContext().traceId);
      expect(segment.parentSpanContext?.spanId).toBe(tick.spanContext().spanId);
    }
    const steps = finished.filter((span) => span.parentSpanContext?.spanId === segments[1]?.spanContext().spanId).map((span) => span.name);
    expect(steps).toEqual(expect.arrayContaining(['step released', 'step done']));
  });

  it('puts the expiring-soon scan under a `system schedule` span, and the renewal its event starts in that trace', async () => {
    const fixtures = commercialFixtures(t.orm);
    const customer = await fixtures.customer(t.tenantId);
    const subscription = await fixtures.subscription(t.tenantId, customer.id, (await fixtures.plan(t.tenantId)).id, {
      start: new Date('2030-12-20T00:00:00Z'),
      end: new Date('2031-01-20T00:00:00Z'),
    });
    // The built-in renewal's trigger and input, with a step that needs no services.
    const renewal = customerRenewalProcess({ tenantId: t.tenantId }).definition;
    await t.save('customer_renewal_process', {
      input: renewal.input,
      triggers: renewal.triggers,
      steps: [{ name: 'noted', type: 'transform', expression: 'context' }],
    });
    const clock = simulatedClock('2031-01-01T05:00:00Z');
    const scheduler = t.engine.scheduler({ clock, systemSchedules: [EXPIRING_SOON_SCHEDULE] });
    await scheduler.runOnce();
    clock.set('2031-01-01T06:00:00.500Z');
    expect((await scheduler.runOnce()).system).toEqual(['subscription.expiring_soon']);
    expect(await t.engine.eventDispatcher().runOnce()).toMatchObject({ started: 1 });
    const [run] = await executionsOf(t.pool, t.tenantId, 'customer_renewal_process');
    if (!run) throw new Error('the scan started no renewal');
    expect(run.context).toEqual({ customer_id: customer.id, subscription_id: subscription.id });
    await t.waitFor(run.id);

    const finished = await spansOnceEnded(run.id);
    const ticks = finished.filter((span) => span.name === 'system schedule subscription.expiring_soon');
    expect(ticks).toHaveLength(1);
    const [tick] = ticks;
    if (!tick) throw new Error('no span for the scan');
    expect(tick.parentSpanContext).toBeUndefined();
    expect(tick.attributes).toMatchObject({
      'switchyard.schedule.name': 'subscription.expiring_soon',
      'switchyard.schedule.tick': '2031-01-01T06:00:00.000Z',
      'switchyard.schedule.outcome': 'ran',
    });
    expect(JSON.parse(String(tick.attributes['switchyard.schedule.result']))).toEqual({ found: 1, recorded: 1 });
    // The event keeps the tick's context; the renewal it started is the tick's child.
    const { traceId, spanId } = tick.spanContext();
    const { rows } = await t.pool.query<{ trace_parent: string }>(
      `select trace_parent from domain_events where name = 'subscription.expiring_soon'`,
    );
    expect(rows).toEqual([{ trace_parent: `00-${traceId}-${spanId}-01` }]);
    const segment = finished.find(
      (span) => span.name === 'run customer_renewal_process' && span.attributes['switchyard.execution.id'] === run.id,
    );
    expect(segment?.spanContext().traceId).toBe(traceId);
    expect(segment?.parentSpanContext?.spanId).toBe(spanId);
    expect(segment?.attributes['switchyard.run.status']).toBe('completed');
  });

  it('puts the runs of an event recorded without a trace under an `event <name>` span; an event nobody takes gets none', async () => {
    await t.save('traced_intake', {
      triggers: [{ event: 'site.surveyed', filter: 'event.ready = true' }],
      steps: [{ name: 'noted', type: 'transform', output: { noted: true } }],
    });
    // Recorded outside any span, as an untraced process would: no trace context is kept with them.
    const eventId = await recordEvent(t.orm, { tenantId: t.tenantId, name: 'site.surveyed', payload: { ready: true } });
    const ignoredId = await recordEvent(t.orm, { tenantId: t.tenantId, name: 'site.surveyed', payload: { ready: false } });
    const { rows } = await t.pool.query<{ trace_parent: string | null }>(`select trace_parent from domain_events where id = $1`, [eventId]);
    expect(rows).toEqual([{ trace_parent: null }]);
    expect(await t.engine.eventDispatcher().runOnce()).toMatchObject({ started: 1 });
    const [run] = await executionsOf(t.pool, t.tenantId, 'traced_intake');
    if (!run) throw new Error('the event started nothing');
    await t.waitFor(run.id);

    const finished = await spansOnceEnded(run.id);
    const deliveries = finished.filter((span) => span.name === 'event site.surveyed');
    expect(deliveries.map((span) => span.attributes['switchyard.event.id'])).toEqual([eventId]);
    expect(deliveries.map((span) => span.attributes['switchyard.event.id'])).not.toContain(ignoredId);
    const [delivery] = deliveries;
    if (!delivery) throw new Error('no span for the event');
    expect(delivery.parentSpanContext).toBeUndefined();
    expect(delivery.attributes).toMatchObject({ 'switchyard.event.name': 'site.surveyed', 'switchyard.tenant.id': t.tenantId });
    expect(Date.parse(String(delivery.attributes['switchyard.event.occurred_at']))).not.toBeNaN();
    // The run, stored with the span's context, is its child.
    const { traceId, spanId } = delivery.spanContext();
    const segment = finished.find((span) => span.name === 'run traced_intake' && span.attributes['switchyard.execution.id'] === run.id);
    expect(segment?.spanContext().traceId).toBe(traceId);
    expect(segment?.parentSpanContext?.spanId).toBe(spanId);
    expect(segment?.attributes['switchyard.run.status']).toBe('completed');
  });
});
