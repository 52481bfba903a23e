import { useTestEngine } from '../../helpers/engine.js';

/**
 * The run queue is the executions table; workers claim due runs when woken after a commit, when a timer
 * they parked a run on comes due, and at every poll. Here the poll is an hour away, so each run below
 * can only finish if the wake-up it relies on works (waitFor gives up after 15 s).
 */
describe('engine: the run queue wakes its workers', () => {
  const t = useTestEngine({ config: { runStartsLocally: false, inProcessWaitMs: 200 }, worker: false });
  const HOUR = 3_600_000;

  beforeAll(async () => {
    await t.startWorker({ pollIntervalMs: HOUR });
  });

  it('a run started in another process (no local slot) is claimed on the wake-up after its commit', async () => {
    await t.save('woken', { steps: [{ name: 'echo', type: 'service_call', service: 'test', method: 'echo', params: { n: 1 } }] });
    const { execution } = await t.run('woken');
    expect(execution.status).toBe('completed');
  });

  it('a run parked on a timer is claimed again when the timer comes due', async () => {
    await t.save('timer', {
      steps: [
        { name: 'nap', type: 'wait', seconds: 1 },
        { name: 'after', type: 'transform', output: { done: true } },
      ],
    });
    const { executionId, execution } = await t.run('timer');
    expect(execution.status).toBe('completed');
    const types = (await t.events(executionId)).map((event) => event.type);
    // Parked (holding no worker), then resumed by a claim.
    expect(types).toEqual(expect.arrayContaining(['execution.waiting', 'execution.resumed', 'execution.completed']));
  });

  it('a run waiting for an event is claimed as soon as the event is delivered', async () => {
    await t.save('awaits', {
      steps: [
        { name: 'paid', type: 'wait', event: { name: 'invoice.paid', match: 'event.invoice = context.invoice', timeoutSeconds: 3600 } },
        { name: 'after', type: 'transform', output: { done: true } },
      ],
    });
    const id = await t.start('awaits', { invoice: 'i-1' });
    await t.waitFor(id, (status) => status === 'waiting');
    expect(await t.engine.deliverEvent({ tenantId: t.tenantId, name: 'invoice.paid', payload: { invoice: 'i-1' }, id: 'evt-paid-1' })).toBe(
      1,
    );
    expect((await t.waitFor(id)).status).toBe('completed');
  });

  it('a paused run resumed by an operator is claimed at once', async () => {
    await t.save('pausable', {
      steps: [
        { name: 'nap', type: 'wait', seconds: 600 },
        { name: 'after', type: 'transform', output: { done: true } },
      ],
    });
    const id = await t.start('pausable');
    await t.waitFor(id, (status) => status === 'waiting');
    await t.engine.pause(t.tenantId, id);
    await t.waitFor(id, (status) => status === 'paused');
    await t.engine.cancel(t.tenantId, id);
    expect((await t.waitFor(id)).status).toBe('cancelled');
  });
});

/**
 * A start joined to the caller's transaction (the API's audit record) holds one connection of the
 * engine's pool until it commits: everything it reads must go through that connection. Were it to ask
 * the pool for a second one, a burst of starts would hold every connection and wait for one forever —
 * with a pool of one, the first start would.
 */
describe('engine: a start in the caller transaction on a pool of one connection', () => {
  const t = useTestEngine({ config: { tenantConcurrencyLimit: 5 }, worker: false, poolMax: 1 });

  it('records the run, its tenant limit read through the same connection', async () => {
    await t.save('one-connection', { steps: [{ name: 'echo', type: 'transform', output: { done: true } }] });
    const hooked: Array<string | undefined> = [];
    const { executionId } = await t.engine.start(
      { tenantId: t.tenantId, workflow: 'one-connection', context: {} },
      {
        inTransaction: async (tx, facts) => {
          await tx.query('select 1', []);
          hooked.push(facts.executionId);
        },
      },
    );
    expect(hooked).toEqual([executionId]);
    expect((await t.waitFor(executionId, (status) => status === 'pending')).status).toBe('pending');
  });
});
