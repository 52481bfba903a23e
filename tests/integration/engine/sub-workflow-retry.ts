import { useTestEngine } from '../../helpers/engine.js';

/**
 * A sub_workflow step that failed because its child run failed starts a new child when it runs again
 * (the run retried, or rerun from it), instead of finding the failed child and failing at once.
 */
describe('engine: retrying a failed sub_workflow step', () => {
  const t = useTestEngine();

  it('starts a new child run on retry, and completes with it; the failed child is kept', async () => {
    // Version 1 of the child fails; the parent fails with it.
    await t.save('flaky_child', { steps: [{ name: 'check', type: 'transform', expression: '$error("not yet")' }] });
    await t.save('calls_child', {
      steps: [
        { name: 'call', type: 'sub_workflow', workflow: 'flaky_child', input: { n: '${context.n}' } },
        { name: 'after', type: 'transform', expression: 'steps.call.output' },
      ],
    });
    const { executionId, execution } = await t.run('calls_child', { n: 1 });
    expect(execution.status).toBe('failed');

    // Fixed in version 2: a retry runs the step again, which starts a child on the current version.
    await t.save('flaky_child', {
      steps: [{ name: 'check', type: 'transform', expression: '{ "ok": context.n }' }],
      output: '${steps.check.output}',
    });
    await t.engine.retry(t.tenantId, executionId);
    expect((await t.waitFor(executionId, (status) => status === 'completed' || status === 'failed')).status).toBe('completed');

    const { rows } = await t.pool.query<{ status: string; workflow_version: number }>(
      'select status, workflow_version from executions where parent_execution_id = $1 order by created_at',
      [executionId],
    );
    expect(rows).toEqual([
      { status: 'failed', workflow_version: 1 },
      { status: 'completed', workflow_version: 2 },
    ]);
    expect((await t.steps(executionId)).find((step) => step.key === 'after')).toMatchObject({ status: 'completed', output: { ok: 1 } });
  });
});
