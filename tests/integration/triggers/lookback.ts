import { recordEvent, useSkewedEngine } from './support.js';

/**
 * The wait-vs-event race: an event dispatched before a wait registered must still resume it when the
 * waiting step had started before the event. The engine here runs on a clock of its own, set a
 * minute back or ahead, so that "the step started before the event, its wait committed after the
 * dispatch" is a fact of the data rather than of timing.
 */
describe('triggers: a wait registered after its event was dispatched', () => {
  const { t, skew } = useSkewedEngine();

  const wait = async (executionId: string) =>
    (
      await t.pool.query<{ resolved_event_id: string | null }>('select resolved_event_id from execution_waits where execution_id = $1', [
        executionId,
      ])
    ).rows[0];
  const lookbacks = async () =>
    Number((await t.pool.query<{ count: string }>('select count(*) from event_delivery_lookbacks')).rows[0]?.count);

  it('resumes the wait with an earlier event after its step started, and not with one from before its step', async () => {
    await t.engine.workflows.save({
      tenantId: t.tenantId,
      name: 'await_payment',
      definition: {
        steps: [
          {
            name: 'paid',
            type: 'wait',
            event: { name: 'payment.received', match: 'event.orderId = context.order_id', timeoutSeconds: 600 },
          },
          { name: 'after', type: 'transform', expression: 'steps.paid.output.eventId' },
        ],
      },
    });
    const dispatcher = t.engine.eventDispatcher();

    // The payment arrives and is dispatched while no run waits for it.
    const payment = await recordEvent(t.orm, { tenantId: t.tenantId, name: 'payment.received', payload: { orderId: 'o-1' } });
    expect(await dispatcher.runOnce()).toMatchObject({ events: 1, resumed: 0, lookbacks: 0 });

    // A run whose waiting step started a minute before the payment registers its wait only now.
    skew.ms = -60_000;
    const early = (await t.engine.start({ tenantId: t.tenantId, workflow: 'await_payment', context: { order_id: 'o-1' } })).executionId;
    await t.waitFor(early, (status) => status === 'waiting');
    // A run whose step started a minute after it: that payment is not its event.
    skew.ms = 60_000;
    const late = (await t.engine.start({ tenantId: t.tenantId, workflow: 'await_payment', context: { order_id: 'o-1' } })).executionId;
    await t.waitFor(late, (status) => status === 'waiting');
    expect(await lookbacks()).toBe(2);

    expect(await dispatcher.runOnce()).toMatchObject({ events: 0, lookbacks: 2 });
    expect(await lookbacks()).toBe(0);
    expect(await t.waitFor(early)).toMatchObject({ status: 'completed', result: { after: payment } });
    expect(await wait(early)).toEqual({ resolved_event_id: payment });
    expect(await wait(late)).toEqual({ resolved_event_id: null });
    expect((await t.waitFor(late, () => true)).status).toBe('waiting');

    // Its own payment, later, still reaches it the ordinary way.
    skew.ms = 0;
    const second = await recordEvent(t.orm, { tenantId: t.tenantId, name: 'payment.received', payload: { orderId: 'o-1' } });
    expect(await dispatcher.runOnce()).toMatchObject({ events: 1, resumed: 1 });
    expect(await t.waitFor(late)).toMatchObject({ status: 'completed', result: { after: second } });
  });

  it('drops the lookback of a wait that no longer waits', async () => {
    await t.engine.workflows.save({
      tenantId: t.tenantId,
      name: 'await_forever',
      definition: { steps: [{ name: 'never', type: 'wait', event: { name: 'never.arrives' } }] },
    });
    const id = (await t.engine.start({ tenantId: t.tenantId, workflow: 'await_forever' })).executionId;
    await t.waitFor(id, (status) => status === 'waiting');
    await t.engine.cancel(t.tenantId, id);
    await t.waitFor(id);
    expect(await lookbacks()).toBe(1);
    expect(await t.engine.eventDispatcher().runOnce()).toMatchObject({ lookbacks: 1, resumed: 0 });
    expect(await lookbacks()).toBe(0);
  });
});
