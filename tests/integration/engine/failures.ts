import { useTestEngine } from '../../helpers/engine.js';

describe('engine: retries, timeouts, critical steps and compensation', () => {
  const t = useTestEngine();

  const save = (name: string, definition: object) => t.save(name, definition);
  const run = (name: string, context: object = {}) => t.run(name, context);

  it('retries a retryable failure with backoff until it succeeds', async () => {
    await save('flaky', {
      steps: [
        {
          name: 'call',
          type: 'service_call',
          service: 'test',
          method: 'flaky',
          params: { failures: 2 },
          retry: { maxAttempts: 4, initialIntervalSeconds: 0.2, backoffRate: 2, jitter: 'none' },
        },
      ],
    });
    const { executionId, execution } = await run('flaky');
    expect(execution.status).toBe('completed');
    expect((await t.steps(executionId))[0]).toMatchObject({ status: 'completed', attempts: 3, error: null });
    // Two backoffs, 0.2 s then 0.4 s: the second retry is due at least 0.4 s after the first (its attempt
    // failed after the first was due), and no attempt is recorded as started before its retry was due.
    const { rows } = await t.pool.query<{ type: string; payload: { attempt?: number; nextAttemptAt?: string }; created_at: Date }>(
      "select type, payload, created_at from execution_events where execution_id = $1 and type in ('step.started', 'step.retrying') order by seq",
      [executionId],
    );
    expect(rows.map((row) => [row.type, row.payload.attempt])).toEqual([
      ['step.started', 1],
      ['step.retrying', 1],
      ['step.started', 2],
      ['step.retrying', 2],
      ['step.started', 3],
    ]);
    const starts = rows.filter((row) => row.type === 'step.started').map((row) => row.created_at.getTime());
    const due = rows.filter((row) => row.type === 'step.retrying').map((row) => new Date(row.payload.nextAttemptAt ?? 0).getTime());
    expect((due[1] ?? 0) - (due[0] ?? Infinity)).toBeGreaterThanOrEqual(400);
    expect(due.map((at, index) => (starts[index + 1] ?? 0) >= at)).toEqual([true, true]);
  });

  it('does not retry an error that is not retryable, nor beyond maxAttempts', async () => {
    await save('permanent', {
      steps: [
        {
          name: 'call',
          type: 'service_call',
          service: 'test',
          method: 'flaky',
          params: { failures: 5, code: 'PAYMENT_DECLINED', retryable: false },
          retry: { maxAttempts: 5, initialIntervalSeconds: 0.05 },
        },
      ],
    });
    const permanent = await run('permanent');
    expect(permanent.execution.status).toBe('failed');
    expect((await t.steps(permanent.executionId))[0]).toMatchObject({ attempts: 1, error: { code: 'PAYMENT_DECLINED', retryable: false } });

    await save('exhausted', {
      steps: [
        {
          name: 'call',
          type: 'service_call',
          service: 'test',
          method: 'flaky',
          params: { failures: 5 },
          retry: { maxAttempts: 2, initialIntervalSeconds: 0.05 },
        },
      ],
    });
    const exhausted = await run('exhausted');
    expect(exhausted.execution.status).toBe('failed');
    expect((await t.steps(exhausted.executionId))[0]).toMatchObject({ attempts: 2, error: { code: 'EXTERNAL_UNAVAILABLE' } });
  });

  it('times a step out and retries it', async () => {
    await save('slow', {
      steps: [
        {
          name: 'call',
          type: 'service_call',
          service: 'test',
          method: 'sleep',
          params: { ms: 5_000 },
          timeoutSeconds: 0.3,
          retry: { maxAttempts: 2, initialIntervalSeconds: 0.05 },
        },
      ],
    });
    const { executionId, execution } = await run('slow');
    expect(execution.status).toBe('failed');
    expect((await t.steps(executionId))[0]).toMatchObject({ attempts: 2, error: { code: 'TIMEOUT' } });
  });

  it('records a non-critical failure and goes on', async () => {
    await save('optional', {
      steps: [
        {
          name: 'optional',
          type: 'service_call',
          service: 'test',
          method: 'flaky',
          params: { failures: 9, retryable: false },
          critical: false,
        },
        { name: 'after', type: 'transform', output: { reached: true } },
      ],
    });
    const { executionId, execution } = await run('optional');
    expect(execution.status).toBe('completed');
    expect((await t.steps(executionId)).map((step) => [step.key, step.status])).toEqual([
      ['optional', 'failed'],
      ['after', 'completed'],
    ]);
  });

  it('compensates completed steps in reverse order when a later critical step fails, and rolls back the failed step', async () => {
    const step = (label: string) => ({
      name: label,
      type: 'service_call',
      service: 'test',
      method: 'record',
      params: { label },
      compensate: { service: 'test', method: 'undo', params: { label } },
    });
    await save('saga', {
      steps: [
        step('reserve'),
        step('charge'),
        { name: 'ship', type: 'service_call', service: 'test', method: 'record', params: { label: 'ship', failAfterWrite: true } },
      ],
    });
    const { executionId, execution } = await run('saga');
    expect(execution.status).toBe('failed');
    expect(execution.error).toMatchObject({
      code: 'INVALID_STATE',
      step: 'ship',
      compensations: [
        { step: 'charge', status: 'completed' },
        { step: 'reserve', status: 'completed' },
      ],
    });
    const labels = (await t.effects()).filter((effect) => effect.idempotency_key.startsWith(executionId)).map((effect) => effect.label);
    // ship's write rolled back with its failed transaction; the others undone latest first.
    expect(labels).toEqual(['reserve', 'charge', 'undo:charge', 'undo:reserve']);
  });
});
