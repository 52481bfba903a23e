import { createEventDispatcher } from '../../../src/engine/triggers/dispatcher.js';
import { createLogger } from '../../../src/logger.js';
import { createTenant } from '../../helpers/fixtures.js';
import { useTestEngine } from '../../helpers/engine.js';
import { eventually, executionsOf, recordEvent } from './support.js';

describe('triggers: domain events start workflows and resume waiting steps, each once', () => {
  const t = useTestEngine();

  const save = (name: string, definition: object, tenantId = t.tenantId) =>
    t.engine.workflows.save({ tenantId, name, definition: definition as never });
  const echo = [{ name: 'echo', type: 'transform', expression: 'context' }];
  const deliveries = async (eventId: string) =>
    (
      await t.pool.query<{ workflow_name: string; status: string; execution_id: string | null; error: { code: string } | null }>(
        'select workflow_name, status, execution_id, error from event_deliveries where event_id = $1 order by workflow_name',
        [eventId],
      )
    ).rows;
  const dispatchedAt = async (eventId: string) =>
    (await t.pool.query<{ dispatched_at: Date | null }>('select dispatched_at from domain_events where id = $1', [eventId])).rows[0]
      ?.dispatched_at;

  it('starts the workflows whose filter accepts the event, with the mapped context, and not those whose filter rejects it', async () => {
    await save('orders_new', {
      triggers: [
        { event: 'quote.accepted', filter: "event.kind = 'new'", context: '{ "quote_id": event.quoteId, "by": event.acceptedBy }' },
      ],
      steps: echo,
    });
    await save('orders_renewal', { triggers: [{ event: 'quote.accepted', filter: "event.kind = 'renewal'" }], steps: echo });
    // The same trigger in another tenant: that tenant's events only.
    const other = await createTenant(t.orm);
    await save('orders_new', { triggers: [{ event: 'quote.accepted' }], steps: echo }, other.id);

    const renewal = await recordEvent(t.orm, {
      tenantId: t.tenantId,
      name: 'quote.accepted',
      payload: { quoteId: 'q-r', kind: 'renewal', acceptedBy: 'bob' },
    });
    const fresh = await recordEvent(t.orm, {
      tenantId: t.tenantId,
      name: 'quote.accepted',
      payload: { quoteId: 'q-n', kind: 'new', acceptedBy: 'ada' },
    });
    const report = await t.engine.eventDispatcher().runOnce();
    expect(report).toMatchObject({ events: 2, started: 2, failed: 0, retrying: 0 });

    const newRuns = await executionsOf(t.pool, t.tenantId, 'orders_new');
    expect(newRuns).toEqual([
      expect.objectContaining({
        context: { quote_id: 'q-n', by: 'ada' },
        trigger_type: 'event',
        trigger_source: `quote.accepted:${fresh}`,
        idempotency_key: `event:${fresh}:orders_new`,
      }),
    ]);
    const renewalRuns = await executionsOf(t.pool, t.tenantId, 'orders_renewal');
    expect(renewalRuns).toEqual([
      expect.objectContaining({
        context: { quoteId: 'q-r', kind: 'renewal', acceptedBy: 'bob' },
        idempotency_key: `event:${renewal}:orders_renewal`,
      }),
    ]);
    expect(await executionsOf(t.pool, other.id, 'orders_new')).toEqual([]);

    expect(await deliveries(fresh)).toEqual([
      { workflow_name: 'orders_new', status: 'started', execution_id: newRuns[0]?.id, error: null },
    ]);
    expect(await deliveries(renewal)).toEqual([
      { workflow_name: 'orders_renewal', status: 'started', execution_id: renewalRuns[0]?.id, error: null },
    ]);
    expect(await dispatchedAt(fresh)).toBeInstanceOf(Date);
    expect(await dispatchedAt(renewal)).toBeInstanceOf(Date);
    // The mapped context, as the run's steps see it: with the run's tenant as tenant_id.
    expect((await t.waitFor(newRuns[0]?.id ?? '')).result).toEqual({ echo: { quote_id: 'q-n', by: 'ada', tenant_id: t.tenantId } });
  });

  it('records a trigger that cannot start its workflow, and still delivers the event to the others', async () => {
    await save('needs_region', {
      input: { type: 'object', required: ['region'] },
      triggers: [{ event: 'site.opened' }],
      steps: echo,
    });
    await save('any_site', { triggers: [{ event: 'site.opened' }], steps: echo });
    await save('retired_site', { triggers: [{ event: 'site.opened' }], steps: echo });
    await t.engine.workflows.deactivate(t.tenantId, 'retired_site');

    const id = await recordEvent(t.orm, { tenantId: t.tenantId, name: 'site.opened', payload: { city: 'Lyon' } });
    expect(await t.engine.eventDispatcher().runOnce()).toMatchObject({ events: 1, started: 1, failed: 1, retrying: 0 });
    expect(await deliveries(id)).toEqual([
      { workflow_name: 'any_site', status: 'started', execution_id: expect.any(String), error: null },
      { workflow_name: 'needs_region', status: 'failed', execution_id: null, error: expect.objectContaining({ code: 'VALIDATION' }) },
    ]);
    expect(await executionsOf(t.pool, t.tenantId, 'retired_site')).toEqual([]);
    expect(await dispatchedAt(id)).toBeInstanceOf(Date);
  });

  it('starts one execution for an event delivered twice: after a crash mid-delivery, and when replayed', async () => {
    await save('once_per_event', { triggers: [{ event: 'invoice.paid' }], steps: echo });
    const id = await recordEvent(t.orm, { tenantId: t.tenantId, name: 'invoice.paid', payload: { invoice: 'inv-1' } });

    // A dispatcher that dies after starting the run, before resuming waits and marking the event.
    const crashing = createEventDispatcher({
      pool: t.pool,
      engine: {
        start: (input) => t.engine.start(input),
        deliverEvent: async () => {
          throw new Error('connection lost');
        },
      },
      logger: createLogger('silent'),
      clock: { now: () => new Date() },
    });
    expect(await crashing.runOnce()).toMatchObject({ events: 1, started: 1, retrying: 1 });
    expect(await dispatchedAt(id)).toBeNull();
    expect(await deliveries(id)).toEqual([]);
    const [first] = await executionsOf(t.pool, t.tenantId, 'once_per_event');

    // Another dispatcher delivers it again: the same run, now recorded.
    expect(await t.engine.eventDispatcher().runOnce()).toMatchObject({ events: 1 });
    expect(await dispatchedAt(id)).toBeInstanceOf(Date);
    expect(await executionsOf(t.pool, t.tenantId, 'once_per_event')).toEqual([expect.objectContaining({ id: first?.id })]);
    expect(await deliveries(id)).toEqual([{ workflow_name: 'once_per_event', status: 'started', execution_id: first?.id, error: null }]);

    // Replayed (marked undispatched again): still that one run.
    await t.pool.query('update domain_events set dispatched_at = null where id = $1', [id]);
    expect(await t.engine.eventDispatcher().runOnce()).toMatchObject({ events: 1 });
    expect(await executionsOf(t.pool, t.tenantId, 'once_per_event')).toHaveLength(1);
  });

  it('lets two dispatchers race over the same events: each event is claimed by one and starts one execution', async () => {
    await save('raced', { triggers: [{ event: 'meter.read' }], steps: echo });
    const ids: string[] = [];
    for (let index = 0; index < 30; index += 1) {
      ids.push(await recordEvent(t.orm, { tenantId: t.tenantId, name: 'meter.read', payload: { index } }));
    }
    const drain = async () => {
      const dispatcher = t.engine.eventDispatcher({ batchSize: 4 });
      let claimed = 0;
      for (;;) {
        const { events } = await dispatcher.runOnce();
        if (events === 0) return claimed;
        claimed += events;
      }
    };
    const [a, b] = await Promise.all([drain(), drain()]);
    expect(a + b).toBe(30);
    const runs = await executionsOf(t.pool, t.tenantId, 'raced');
    expect(runs).toHaveLength(30);
    expect(new Set(runs.map((run) => run.idempotency_key))).toEqual(new Set(ids.map((id) => `event:${id}:raced`)));
    const { rows } = await t.pool.query<{ count: string }>(
      'select count(*) from domain_events where id = any($1::uuid[]) and dispatched_at is null',
      [ids],
    );
    expect(rows[0]?.count).toBe('0');
  });

  it('resumes a waiting step with its matching event, and lets another wait time out', async () => {
    await save('await_quote', {
      steps: [
        {
          name: 'wait_accept',
          type: 'wait',
          event: { name: 'quote.approved', match: 'event.quoteId = context.quote_id', timeoutSeconds: 120 },
        },
        { name: 'after', type: 'transform', expression: 'steps.wait_accept.output.event.quoteId' },
      ],
    });
    await save('await_in_vain', {
      steps: [
        {
          name: 'wait_other',
          type: 'wait',
          event: { name: 'quote.approved', match: 'event.quoteId = context.quote_id', timeoutSeconds: 2, onTimeout: 'continue' },
        },
        { name: 'after', type: 'transform', expression: 'steps.wait_other.output.timedOut' },
      ],
    });
    const resumed = (await t.engine.start({ tenantId: t.tenantId, workflow: 'await_quote', context: { quote_id: 'q-77' } })).executionId;
    const timingOut = (await t.engine.start({ tenantId: t.tenantId, workflow: 'await_in_vain', context: { quote_id: 'q-88' } }))
      .executionId;
    await t.waitFor(resumed, (status) => status === 'waiting');
    await t.waitFor(timingOut, (status) => status === 'waiting');

    const id = await recordEvent(t.orm, { tenantId: t.tenantId, name: 'quote.approved', payload: { quoteId: 'q-77' } });
    expect(await t.engine.eventDispatcher().runOnce()).toMatchObject({ events: 1, started: 0, resumed: 1 });

    expect(await t.waitFor(resumed)).toMatchObject({
      status: 'completed',
      result: { after: 'q-77', wait_accept: { eventId: id, event: { quoteId: 'q-77' } } },
    });
    expect(await t.waitFor(timingOut)).toMatchObject({ status: 'completed', result: { after: true, wait_other: { timedOut: true } } });
  });

  it('is woken after the commit of a domain event: delivered long before the next poll, with no NOTIFY', async () => {
    await save('notified', { triggers: [{ event: 'door.opened' }], steps: echo });
    const dispatcher = t.engine.eventDispatcher({ pollIntervalMs: 3_600_000 });
    await dispatcher.start();
    try {
      const id = await recordEvent(t.orm, { tenantId: t.tenantId, name: 'door.opened', payload: { door: 'north' } });
      await eventually(
        'the event is dispatched',
        () => dispatchedAt(id),
        (at) => at instanceof Date,
      );
      expect(await executionsOf(t.pool, t.tenantId, 'notified')).toHaveLength(1);
    } finally {
      await dispatcher.stop();
    }
  });
});
