import { attempts, useTestEngine } from '../../helpers/engine.js';

/**
 * Issue 11, item 1, for any service method: a compensation retires the idempotency record of the call it
 * undid, so a retry of the run does that step's work again; and a second failure compensates it again.
 */
describe('engine: a compensated step runs again when its run is retried', () => {
  const t = useTestEngine();

  const reserve = {
    name: 'reserve',
    type: 'service_call',
    service: 'test',
    method: 'record',
    params: { label: 'reserve' },
    compensate: { service: 'test', method: 'undo', params: { label: 'reserve' } },
  };
  /** Fails (not retryable, so at once) the first `failures` times it is called in a run, then succeeds. */
  const charge = (failures: number) => ({
    name: 'charge',
    type: 'service_call',
    service: 'test',
    method: 'flaky',
    params: { failures, retryable: false },
  });

  const labels = async (executionId: string) =>
    (await t.effects())
      .filter((effect) => effect.idempotency_key.startsWith(executionId))
      .map((effect) => `${effect.label}@${effect.idempotency_key.slice(executionId.length + 1)}`);

  it('redoes the local effect after its compensation, with the same key, and compensates it again on a second failure', async () => {
    await t.save('saga_retry', { steps: [reserve, charge(2)] });
    const { executionId, execution } = await t.run('saga_retry');
    expect(execution.status).toBe('failed');
    expect(await labels(executionId)).toEqual(['reserve@reserve', 'undo:reserve@reserve:compensate']);

    await t.engine.retry(t.tenantId, executionId);
    expect((await t.waitFor(executionId, (status) => status === 'failed')).error).toMatchObject({ step: 'charge' });
    expect(await labels(executionId)).toEqual([
      'reserve@reserve',
      'undo:reserve@reserve:compensate',
      'reserve@reserve',
      'undo:reserve@reserve:compensate',
    ]);

    await t.engine.retry(t.tenantId, executionId);
    expect((await t.waitFor(executionId, (status) => status === 'completed' || status === 'failed')).status).toBe('completed');
    expect(await labels(executionId)).toEqual([
      'reserve@reserve',
      'undo:reserve@reserve:compensate',
      'reserve@reserve',
      'undo:reserve@reserve:compensate',
      'reserve@reserve',
    ]);
    expect(attempts.get(`${executionId}:charge`)).toBe(3);
    const steps = await t.steps(executionId);
    expect(steps.map((step) => [step.key, step.status, step.compensation])).toEqual([
      ['reserve', 'completed', null],
      ['charge', 'completed', null],
    ]);
  });

  it('keeps answering an uncompensated local step from its record: a retry from it does not repeat it', async () => {
    const { compensate: _none, ...plain } = reserve;
    await t.save('no_saga', { steps: [plain, charge(1)] });
    const { executionId } = await t.run('no_saga');
    await t.engine.retry(t.tenantId, executionId, 'reserve');
    expect((await t.waitFor(executionId, (status) => status === 'completed' || status === 'failed')).status).toBe('completed');
    expect(await labels(executionId)).toEqual(['reserve@reserve']);
  });

  it("marks the run's error retryable when the step that failed it gave up on a retryable failure, and not otherwise", async () => {
    const flaky = (params: object, retry?: object) => ({
      steps: [{ name: 'call', type: 'service_call', service: 'test', method: 'flaky', params, ...(retry ? { retry } : {}) }],
    });
    await t.save('still_unavailable', flaky({ failures: 9 }, { maxAttempts: 2, initialIntervalSeconds: 0.05 }));
    await t.save(
      'declined',
      flaky({ failures: 9, code: 'PAYMENT_DECLINED', retryable: false }, { maxAttempts: 2, initialIntervalSeconds: 0.05 }),
    );

    const unavailable = await t.run('still_unavailable');
    expect(unavailable.execution).toMatchObject({
      status: 'failed',
      error: { code: 'EXTERNAL_UNAVAILABLE', step: 'call', retryable: true },
    });
    expect((await t.steps(unavailable.executionId))[0]).toMatchObject({ attempts: 2 });
    expect((await t.run('declined')).execution).toMatchObject({
      status: 'failed',
      error: { code: 'PAYMENT_DECLINED', step: 'call', retryable: false },
    });
  });
});
