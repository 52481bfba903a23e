import { beforeAll, describe, expect, it } from '@jest/globals';
import { recordEvent, useSkewedEngine } from './support.js';

/**
 * A wait naming alternatives (`payment.succeeded|payment.failed`) is resumed by the first matching event of
 * any of them — delivered live, or found by the lookback when it was dispatched before the wait registered
 * (the worker's clock is set a minute back so that its step started before the event) — and never by
 * another name.
 */
describe('triggers: a wait on one of several events', () => {
  const { t, skew } = useSkewedEngine();

  beforeAll(async () => {
    await t.engine.workflows.save({
      tenantId: t.tenantId,
      name: 'await_outcome',
      definition: {
        steps: [
          {
            name: 'outcome',
            type: 'wait',
            event: { name: 'payment.succeeded|payment.failed', match: 'event.intentId = context.intent', timeoutSeconds: 600 },
          },
          { name: 'after', type: 'transform', expression: 'steps.outcome.output.event.status' },
        ],
      },
    });
  });
  it('is resumed live by either name, and not by another', async () => {
    const dispatcher = t.engine.eventDispatcher();
    const failing = (await t.engine.start({ tenantId: t.tenantId, workflow: 'await_outcome', context: { intent: 'pi_1' } })).executionId;
    const paying = (await t.engine.start({ tenantId: t.tenantId, workflow: 'await_outcome', context: { intent: 'pi_2' } })).executionId;
    await t.waitFor(failing, (status) => status === 'waiting');
    await t.waitFor(paying, (status) => status === 'waiting');
    await dispatcher.runOnce();

    await recordEvent(t.orm, { tenantId: t.tenantId, name: 'payment.refunded', payload: { intentId: 'pi_1', status: 'refunded' } });
    expect(await dispatcher.runOnce()).toMatchObject({ events: 1, resumed: 0 });
    await recordEvent(t.orm, { tenantId: t.tenantId, name: 'payment.failed', payload: { intentId: 'pi_1', status: 'failed' } });
    await recordEvent(t.orm, { tenantId: t.tenantId, name: 'payment.succeeded', payload: { intentId: 'pi_2', status: 'succeeded' } });
    expect(await dispatcher.runOnce()).toMatchObject({ events: 2, resumed: 2 });
    expect(await t.waitFor(failing)).toMatchObject({ status: 'completed', result: { after: 'failed' } });
    expect(await t.waitFor(paying)).toMatchObject({ status: 'completed', result: { after: 'succeeded' } });
  });

  it('is resumed through the lookback by an event of either name dispatched before it registered', async () => {
    const dispatcher = t.engine.eventDispatcher();
    const failed = await recordEvent(t.orm, {
      tenantId: t.tenantId,
      name: 'payment.failed',
      payload: { intentId: 'pi_3', status: 'failed' },
    });
    expect(await dispatcher.runOnce()).toMatchObject({ events: 1, resumed: 0 });

    skew.ms = -60_000;
    const id = (await t.engine.start({ tenantId: t.tenantId, workflow: 'await_outcome', context: { intent: 'pi_3' } })).executionId;
    await t.waitFor(id, (status) => status === 'waiting');
    skew.ms = 0;
    expect(await dispatcher.runOnce()).toMatchObject({ lookbacks: 1 });
    expect(await t.waitFor(id)).toMatchObject({ status: 'completed', result: { after: 'failed', outcome: { eventId: failed } } });
  });
});
