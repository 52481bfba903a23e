import { useTestEngine } from '../../helpers/engine.js';

describe('engine: each step type end to end', () => {
  const t = useTestEngine();

  const save = (name: string, definition: object) => t.save(name, definition);
  const run = (name: string, context: object = {}) => t.run(name, context);

  it('runs service calls in order with templates, exactly once each, and records every step', async () => {
    await save('chain', {
      steps: [
        { name: 'first', type: 'service_call', service: 'test', method: 'record', params: { label: '${context.label}' } },
        {
          name: 'second',
          type: 'service_call',
          service: 'test_service',
          method: 'echo',
          params: { from_first: '${steps.first.output.recorded}', bare: '${recorded}' },
        },
        { name: 'third', type: 'transform', expression: '{ "total": $count(steps.*[status = "completed"]), "label": context.label }' },
      ],
    });
    const { executionId, execution } = await run('chain', { label: 'alpha' });
    expect(execution.error).toBeNull();
    expect(execution.status).toBe('completed');
    expect(execution.result).toEqual({
      first: { recorded: 'alpha' },
      second: { fromFirst: 'alpha', bare: 'alpha' },
      third: { total: 2, label: 'alpha' },
    });
    const steps = await t.steps(executionId);
    expect(steps.map((step) => [step.key, step.status, step.attempts])).toEqual([
      ['first', 'completed', 1],
      ['second', 'completed', 1],
      ['third', 'completed', 1],
    ]);
    expect((await t.effects()).filter((effect) => effect.idempotency_key === `${executionId}:first`)).toHaveLength(1);
    const events = await t.events(executionId);
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));
    expect(events.map((event) => event.type)).toEqual([
      'execution.created',
      'execution.started',
      'step.started',
      'step.completed',
      'step.started',
      'step.completed',
      'step.started',
      'step.completed',
      'execution.completed',
    ]);
  });

  it('branches on a condition, skipping the other branch, and can end the run early', async () => {
    await save('branching', {
      steps: [
        {
          name: 'check',
          type: 'condition',
          expression: 'context.amount > 100',
          then: [{ name: 'big', type: 'transform', output: { size: 'big' } }],
          else: [{ name: 'small', type: 'transform', output: { size: 'small' } }],
          onFalse: 'end',
        },
        { name: 'after', type: 'transform', output: { reached: true } },
      ],
    });
    const big = await run('branching', { amount: 500 });
    expect(big.execution.status).toBe('completed');
    expect((await t.steps(big.executionId)).map((step) => [step.key, step.status])).toEqual([
      ['check', 'completed'],
      ['small', 'skipped'],
      ['big', 'completed'],
      ['after', 'completed'],
    ]);
    const small = await run('branching', { amount: 5 });
    expect(small.execution.status).toBe('completed');
    const steps = Object.fromEntries((await t.steps(small.executionId)).map((step) => [step.key, step.status]));
    expect(steps).toEqual({ check: 'completed', big: 'skipped', small: 'completed', after: 'skipped' });
  });

  it('skips a step whose `when` is false', async () => {
    await save('guarded', {
      steps: [
        { name: 'maybe', type: 'transform', when: 'context.enabled = true', output: { ran: true } },
        { name: 'always', type: 'transform', output: { ran: true } },
      ],
    });
    const { executionId } = await run('guarded', { enabled: false });
    expect((await t.steps(executionId)).map((step) => [step.key, step.status])).toEqual([
      ['maybe', 'skipped'],
      ['always', 'completed'],
    ]);
  });

  it('runs parallel branches concurrently and joins them', async () => {
    // Each branch waits at a rendezvous for the other: one after the other, the first would give up and fail the run.
    await save('fan_out', {
      steps: [
        {
          name: 'both',
          type: 'parallel',
          branches: [
            [{ name: 'left', type: 'service_call', service: 'test', method: 'rendezvous', params: { at: 'both', parties: 2 } }],
            [{ name: 'right', type: 'service_call', service: 'test', method: 'rendezvous', params: { at: 'both', parties: 2 } }],
          ],
        },
        { name: 'joined', type: 'transform', expression: 'steps.left.output.met + steps.right.output.met' },
      ],
    });
    const { execution } = await run('fan_out');
    expect(execution.error).toBeNull();
    expect(execution.status).toBe('completed');
    expect(execution.result).toMatchObject({ joined: 4, both: { left: { met: 2 }, right: { met: 2 } } });
  });

  it('waits for a duration without holding a worker when it is long', async () => {
    await save('timer', {
      steps: [
        { name: 'pause', type: 'wait', seconds: 1.5 },
        { name: 'done', type: 'transform', output: { ok: true } },
      ],
    });
    const { executionId } = await t.engine.start({ tenantId: t.tenantId, workflow: 'timer' });
    await t.waitFor(executionId, (status) => status === 'waiting');
    const execution = await t.waitFor(executionId);
    expect(execution.status).toBe('completed');
    const types = (await t.events(executionId)).map((event) => event.type);
    expect(types).toContain('execution.waiting');
    expect(types).toContain('execution.resumed');
  });

  it('runs a sub-workflow and takes its result as the step output', async () => {
    await save('child', { steps: [{ name: 'double', type: 'transform', expression: 'context.n * 2' }], output: '${steps.double.output}' });
    await save('parent', {
      steps: [
        { name: 'call_child', type: 'sub_workflow', workflow: 'child', input: { n: '${context.n}' } },
        { name: 'use', type: 'transform', expression: 'steps.call_child.output + 1' },
      ],
    });
    const { executionId, execution } = await run('parent', { n: 20 });
    expect(execution.status).toBe('completed');
    expect(execution.result).toMatchObject({ call_child: 40, use: 41 });
    const { rows } = await t.pool.query('select trigger_type, status, parent_step_key from executions where parent_execution_id = $1', [
      executionId,
    ]);
    expect(rows).toEqual([{ trigger_type: 'sub_workflow', status: 'completed', parent_step_key: 'call_child' }]);
  });

  it('fails a run whose template resolves to nothing, naming the step and the template', async () => {
    await save('missing', {
      steps: [{ name: 'use', type: 'service_call', service: 'test', method: 'echo', params: { x: '${context.nothing_here}' } }],
    });
    const { executionId, execution } = await run('missing');
    expect(execution.status).toBe('failed');
    expect(execution.error).toMatchObject({ code: 'VALIDATION', step: 'use' });
    expect(execution.error?.['message']).toContain('${context.nothing_here}');
    expect((await t.steps(executionId))[0]).toMatchObject({ key: 'use', status: 'failed', attempts: 1 });
  });

  it('refuses a context that does not match the input schema, recording nothing', async () => {
    await save('typed', {
      input: { type: 'object', required: ['lead_id'], properties: { lead_id: { type: 'string', format: 'uuid' } } },
      steps: [{ name: 'noop', type: 'transform', output: {} }],
    });
    await expect(t.engine.start({ tenantId: t.tenantId, workflow: 'typed', context: { lead_id: 'nope' } })).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    const { rows } = await t.pool.query(
      `select count(*)::int as n from executions e join workflows w on w.id = e.workflow_id where w.name = 'typed'`,
    );
    expect(rows[0].n).toBe(0);
  });
});
