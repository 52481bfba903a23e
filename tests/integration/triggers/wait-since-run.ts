import type { Worker } from '../../../src/engine/index.js';
import { useTestEngine } from '../../helpers/engine.js';
import { executionsOf, recordEvent } from './support.js';

/**
 * A wait's `event.since`: an event that answers a wait may come before the wait's step starts — caused by
 * an earlier step of the run (a provider confirming the intent that step made), or recorded while the run
 * was being started — and is dispatched while no wait is there to hear it. With `since: "run"` the wait's
 * lookback reaches back to the run's beginning and finds it; the default (`step`) does not. No worker runs
 * until the events are dispatched, and the worker's clock runs a minute ahead, so "the step started after
 * the event" is a fact of the data, not of timing; the default's wait is shown unresolved, never timed out.
 */
describe('triggers: a wait with since "run" hears the events of its run recorded before its step started', () => {
  const skew = { ms: 0 };
  const t = useTestEngine({ worker: false, deps: { clock: { now: () => new Date(Date.now() + skew.ms) } } });

  const waitRow = async (executionId: string) =>
    (
      await t.pool.query<{ resolved_event_id: string | null; events_since: Date | null }>(
        'select resolved_event_id, events_since from execution_waits where execution_id = $1',
        [executionId],
      )
    ).rows[0];
  const occurredAt = async (eventId: string) =>
    (await t.pool.query<{ occurred_at: Date }>('select occurred_at from domain_events where id = $1', [eventId])).rows[0]?.occurred_at;
  /** A worker of the test's own, started once the events are dispatched; stopped after each test. */
  let worker: Worker | undefined;
  const startWorker = async () => {
    worker = await t.engine.startWorker({ concurrency: 4, recoveryIntervalMs: 500, pollIntervalMs: 200 });
  };
  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
  });
  const confirmation = (since?: 'run') => ({
    steps: [
      { name: 'intent', type: 'transform', expression: '{ "id": context.intent }' },
      {
        name: 'paid',
        type: 'wait',
        event: {
          name: 'payment.succeeded',
          match: 'event.intentId = steps.intent.output.id',
          timeoutSeconds: 600,
          ...(since ? { since } : {}),
        },
      },
      { name: 'after', type: 'transform', expression: 'steps.paid.output.eventId' },
    ],
  });

  it('resumes a wait with an event recorded after its run began and before its step started; the default does not', async () => {
    await t.save('paid_since_run', confirmation('run'));
    await t.save('paid_since_step', confirmation());
    const sinceRun = await t.start('paid_since_run', { intent: 'pi-run' });
    const sinceStep = await t.start('paid_since_step', { intent: 'pi-step' });

    // Both intents are confirmed and dispatched while neither run's wait exists.
    const forRun = await recordEvent(t.orm, { tenantId: t.tenantId, name: 'payment.succeeded', payload: { intentId: 'pi-run' } });
    await recordEvent(t.orm, { tenantId: t.tenantId, name: 'payment.succeeded', payload: { intentId: 'pi-step' } });
    const dispatcher = t.engine.eventDispatcher();
    expect(await dispatcher.runOnce()).toMatchObject({ events: 2, resumed: 0, lookbacks: 0 });

    // The waiting steps start now — a minute after the events, by the worker's clock.
    skew.ms = 60_000;
    await startWorker();
    await t.waitFor(sinceRun, (status) => status === 'waiting');
    await t.waitFor(sinceStep, (status) => status === 'waiting');

    expect(await dispatcher.runOnce()).toMatchObject({ events: 0, lookbacks: 2 });
    expect(await t.waitFor(sinceRun)).toMatchObject({ status: 'completed', result: { after: forRun } });
    const resolved = await waitRow(sinceRun);
    expect(resolved?.resolved_event_id).toBe(forRun);
    expect(resolved?.events_since?.getTime()).toBeLessThanOrEqual((await occurredAt(forRun))?.getTime() ?? 0);

    // The default looked back only to its step's start: its payment is not its event, and it still waits.
    expect(await waitRow(sinceStep)).toEqual({ resolved_event_id: null, events_since: null });
    expect((await t.waitFor(sinceStep, () => true)).status).toBe('waiting');
    await t.engine.cancel(t.tenantId, sinceStep);
    await t.waitFor(sinceStep);
  });

  it('counts, for a run an event started, the events recorded since that event — before the run existed', async () => {
    const follow = (name: string, since?: 'run') =>
      t.save(name, {
        triggers: [{ event: 'deal.opened', context: '{ "deal": event.dealId }' }],
        steps: [
          {
            name: 'closed',
            type: 'wait',
            event: { name: 'deal.closed', match: 'event.dealId = context.deal', timeoutSeconds: 600, ...(since ? { since } : {}) },
          },
        ],
      });
    await follow('follow_since_run', 'run');
    await follow('follow_since_step');
    skew.ms = 0;

    // The deal is opened and closed at once: one batch starts the runs and finds no wait for the close.
    const opened = await recordEvent(t.orm, { tenantId: t.tenantId, name: 'deal.opened', payload: { dealId: 'd-1' } });
    const closed = await recordEvent(t.orm, { tenantId: t.tenantId, name: 'deal.closed', payload: { dealId: 'd-1' } });
    const dispatcher = t.engine.eventDispatcher();
    expect(await dispatcher.runOnce()).toMatchObject({ events: 2, started: 2, resumed: 0 });
    const [sinceRun] = await executionsOf(t.pool, t.tenantId, 'follow_since_run');
    const [sinceStep] = await executionsOf(t.pool, t.tenantId, 'follow_since_step');
    if (!sinceRun || !sinceStep) throw new Error('the deal did not start both workflows');
    expect(sinceRun.trigger_source).toBe(`deal.opened:${opened}`);

    skew.ms = 60_000;
    await startWorker();
    await t.waitFor(sinceRun.id, (status) => status === 'waiting');
    await t.waitFor(sinceStep.id, (status) => status === 'waiting');
    expect(await dispatcher.runOnce()).toMatchObject({ events: 0, lookbacks: 2 });
    expect(await t.waitFor(sinceRun.id)).toMatchObject({ status: 'completed' });
    expect((await waitRow(sinceRun.id))?.resolved_event_id).toBe(closed);
    expect((await waitRow(sinceStep.id))?.resolved_event_id).toBeNull();
    await t.engine.cancel(t.tenantId, sinceStep.id);
    await t.waitFor(sinceStep.id);
  });
});
