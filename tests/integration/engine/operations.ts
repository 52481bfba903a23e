import { attempts, useTestEngine } from '../../helpers/engine.js';

describe('engine: events, operations and idempotent starts', () => {
  const t = useTestEngine();

  const save = (name: string, definition: object) => t.save(name, definition);
  const start = (name: string, context: object = {}) => t.start(name, context);

  it('starts a workflow at once after it is reactivated, even where a start was refused while it was deactivated', async () => {
    const definition = { steps: [{ name: 'echo', type: 'service_call', service: 'test', method: 'echo', params: {} }] };
    await save('reactivated', definition);
    expect((await t.run('reactivated')).execution.status).toBe('completed');
    await t.engine.workflows.deactivate(t.tenantId, 'reactivated');
    // Not even a pinned version starts, though this process last saw the workflow active.
    await expect(t.engine.start({ tenantId: t.tenantId, workflow: 'reactivated', version: 1 })).rejects.toMatchObject({
      code: 'INVALID_STATE',
    });
    await expect(t.start('reactivated')).rejects.toMatchObject({ code: 'INVALID_STATE' });
    // Saving a new version makes it active again.
    await save('reactivated', { ...definition, output: { again: true } });
    expect((await t.run('reactivated')).execution.status).toBe('completed');
    // So does saving the same definition again.
    await t.engine.workflows.deactivate(t.tenantId, 'reactivated');
    await expect(t.start('reactivated')).rejects.toMatchObject({ code: 'INVALID_STATE' });
    await save('reactivated', { ...definition, output: { again: true } });
    expect((await t.run('reactivated')).execution.status).toBe('completed');
  });

  it('waits for a matching event and resumes with its payload; another event does not match', async () => {
    await save('await_acceptance', {
      steps: [
        {
          name: 'wait_accept',
          type: 'wait',
          event: { name: 'quote.accepted', match: 'event.quoteId = context.quote_id', timeoutSeconds: 60 },
        },
        { name: 'after', type: 'transform', expression: 'steps.wait_accept.output.event.quoteId' },
      ],
    });
    const id = await start('await_acceptance', { quote_id: 'q-1' });
    await t.waitFor(id, (status) => status === 'waiting');
    expect(
      await t.engine.deliverEvent({ tenantId: t.tenantId, name: 'quote.accepted', payload: { quoteId: 'q-other' }, id: 'evt-1' }),
    ).toBe(0);
    expect(await t.engine.deliverEvent({ tenantId: t.tenantId, name: 'quote.accepted', payload: { quoteId: 'q-1' }, id: 'evt-2' })).toBe(1);
    // The same event again resolves nothing more.
    expect(await t.engine.deliverEvent({ tenantId: t.tenantId, name: 'quote.accepted', payload: { quoteId: 'q-1' }, id: 'evt-2' })).toBe(0);
    const execution = await t.waitFor(id);
    expect(execution.status).toBe('completed');
    expect(execution.result).toMatchObject({ after: 'q-1', wait_accept: { eventId: 'evt-2', event: { quoteId: 'q-1' } } });
  });

  it('times out a wait for an event: fails, or continues when told to', async () => {
    await save('await_fail', { steps: [{ name: 'w', type: 'wait', event: { name: 'never.happens', timeoutSeconds: 0.5 } }] });
    await save('await_continue', {
      steps: [
        { name: 'w', type: 'wait', event: { name: 'never.happens', timeoutSeconds: 0.5, onTimeout: 'continue' } },
        { name: 'after', type: 'transform', expression: 'steps.w.output.timedOut' },
      ],
    });
    const failing = await t.waitFor(await start('await_fail'));
    expect(failing).toMatchObject({ status: 'failed', error: { code: 'TIMEOUT', step: 'w' } });
    const continuing = await t.waitFor(await start('await_continue'));
    expect(continuing).toMatchObject({ status: 'completed', result: { after: true } });
  });

  it('cancels a waiting run, and refuses to cancel a finished one', async () => {
    await save('long_wait', { steps: [{ name: 'w', type: 'wait', seconds: 3600 }] });
    const id = await start('long_wait');
    await t.waitFor(id, (status) => status === 'waiting');
    await t.engine.cancel(t.tenantId, id);
    expect(await t.waitFor(id)).toMatchObject({ status: 'cancelled' });
    await expect(t.engine.cancel(t.tenantId, id)).rejects.toMatchObject({ code: 'INVALID_STATE' });
    await expect(t.engine.cancel(t.tenantId, '00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('pauses at a step boundary and resumes', async () => {
    await save('pausable', {
      steps: [
        { name: 'one', type: 'service_call', service: 'test', method: 'sleep', params: { ms: 400 } },
        { name: 'two', type: 'transform', output: { ok: true } },
      ],
    });
    const id = await start('pausable');
    await t.waitFor(id, (status) => status === 'running');
    await t.engine.pause(t.tenantId, id);
    await t.waitFor(id, (status) => status === 'paused');
    expect((await t.steps(id)).map((step) => [step.key, step.status])).toEqual([['one', 'completed']]);
    await t.engine.resume(t.tenantId, id);
    expect(await t.waitFor(id)).toMatchObject({ status: 'completed' });
  });

  it('retries a failed run from its failed step, keeping what completed', async () => {
    await save('fix_and_retry', {
      steps: [
        { name: 'keep', type: 'service_call', service: 'test', method: 'record', params: { label: 'keep' } },
        { name: 'breaks', type: 'service_call', service: 'test', method: 'flaky', params: { failures: 1, retryable: false } },
      ],
    });
    const id = await start('fix_and_retry');
    expect(await t.waitFor(id)).toMatchObject({ status: 'failed', error: { step: 'breaks' } });
    await t.engine.retry(t.tenantId, id);
    expect(await t.waitFor(id, (status) => status === 'completed')).toMatchObject({ status: 'completed' });
    expect(attempts.get(`${id}:breaks`)).toBe(2);
    expect((await t.effects()).filter((effect) => effect.idempotency_key === `${id}:keep`)).toHaveLength(1);
    await expect(t.engine.retry(t.tenantId, id)).rejects.toMatchObject({ code: 'INVALID_STATE' });
  });

  it('reruns from a chosen step with new input as a new execution, replaying the steps before it', async () => {
    await save('rerunnable', {
      steps: [
        { name: 'a', type: 'service_call', service: 'test', method: 'record', params: { label: 'a' } },
        { name: 'b', type: 'transform', expression: 'context.x * 10' },
      ],
    });
    const id = await start('rerunnable', { x: 1 });
    expect(await t.waitFor(id)).toMatchObject({ status: 'completed', result: { b: 10 } });
    const rerun = await t.engine.rerun(t.tenantId, id, 'b', { x: 7 });
    expect(rerun).not.toBe(id);
    expect(await t.waitFor(rerun)).toMatchObject({ status: 'completed', result: { a: { recorded: 'a' }, b: 70 } });
    // Step a was replayed, not run again.
    expect((await t.effects()).filter((effect) => effect.idempotency_key.endsWith(':a') && effect.label === 'a')).toHaveLength(1);
  });

  it('starts one execution for one idempotency key under 50 concurrent calls', async () => {
    await save('once', { steps: [{ name: 'only', type: 'service_call', service: 'test', method: 'record', params: { label: 'once' } }] });
    const results = await Promise.all(
      Array.from({ length: 50 }, () => t.engine.start({ tenantId: t.tenantId, workflow: 'once', idempotencyKey: 'order-42' })),
    );
    const ids = new Set(results.map((result) => result.executionId));
    expect(ids.size).toBe(1);
    expect(results.filter((result) => result.created)).toHaveLength(1);
    const [id] = [...ids];
    await t.waitFor(id!);
    expect((await t.effects()).filter((effect) => effect.label === 'once')).toHaveLength(1);
    await save('other', { steps: [{ name: 'x', type: 'transform', output: {} }] });
    await expect(t.engine.start({ tenantId: t.tenantId, workflow: 'other', idempotencyKey: 'order-42' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });
});
