import { useTestEngine } from '../../helpers/engine.js';
import { eventually } from '../../helpers/eventually.js';

/** Whether each step's row was last written by the transaction that recorded its start. */
async function startCommittedWithOutcome(t: ReturnType<typeof useTestEngine>, executionId: string): Promise<Record<string, boolean>> {
  const { rows } = await t.pool.query<{ key: string; together: boolean }>(
    `select s.key, s.xmin::text = e.xmin::text as together
     from execution_steps s
     join execution_events e on e.execution_id = s.execution_id and e.step_key = s.key and e.type = 'step.started'
     where s.execution_id = $1`,
    [executionId],
  );
  return Object.fromEntries(rows.map((row) => [row.key, row.together]));
}

describe('engine: what a checkpoint carries', () => {
  const t = useTestEngine();

  it("commits a fast step's start with its outcome, in one checkpoint", async () => {
    await t.save('fast_steps', {
      steps: [
        { name: 'one', type: 'service_call', service: 'test', method: 'echo', params: { n: 1 } },
        { name: 'two', type: 'transform', output: { n: 2 } },
      ],
    });
    const { executionId, execution } = await t.run('fast_steps');
    expect(execution.status).toBe('completed');
    expect(await startCommittedWithOutcome(t, executionId)).toEqual({ one: true, two: true });
  });

  it("commits a slow step's start while it runs, so that watchers see it running", async () => {
    // The step runs until the run is cancelled, so its start is seen however slowly the machine goes.
    await t.save('slow_step', {
      steps: [{ name: 'slow', type: 'service_call', service: 'test', method: 'sleep', params: { ms: 600_000 } }],
    });
    const executionId = await t.start('slow_step');
    await eventually(
      'the slow step recorded running',
      async () => (await t.steps(executionId))[0]?.status,
      (status) => status === 'running',
    );
    await t.engine.cancel(t.tenantId, executionId);
    expect((await t.waitFor(executionId)).status).toBe('cancelled');
    expect(await startCommittedWithOutcome(t, executionId)).toEqual({ slow: false });
  });
});
