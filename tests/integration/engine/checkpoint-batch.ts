import type { Checkpoint } from '../../../src/engine/store/checkpoints.js';
import { writeCheckpoints } from '../../../src/engine/store/checkpoints.js';
import { insertRunnableExecutions, type RunnableStart } from '../../../src/engine/store/execution-inserts.js';
import type { LeasedExecution } from '../../../src/engine/store/read-rows.js';
import { poolQueryable } from '../../../src/infra/queryable.js';
import { savedWorkflow, useTestEngine } from '../../helpers/engine.js';

/**
 * Checkpoints of many runs share a statement (group commit), and a statement updates a row only once: a
 * child's end must reach its parent even when the parent's own checkpoint is in the same statement.
 */
describe('engine: a child and its parent checkpointed in one statement', () => {
  const t = useTestEngine({ worker: false });

  async function leased(starts: RunnableStart[]): Promise<LeasedExecution[]> {
    const answers = await insertRunnableExecutions(poolQueryable(t.pool), starts);
    return answers.map((answer) => {
      if (answer instanceof Error || answer.kind !== 'leased') throw new Error(`not leased: ${JSON.stringify(answer)}`);
      return answer.row;
    });
  }

  const checkpointOf = (run: LeasedExecution, terminal: boolean): Checkpoint => ({
    executionId: run.id,
    tenantId: t.tenantId,
    epoch: Number(run.lease_epoch),
    steps: [{ key: 'one', name: 'one', type: 'transform', sequence: 1, status: 'completed', attempts: 1, output: { n: 1 } }],
    events: [{ type: 'step.completed', stepKey: 'one', payload: { output: { n: 1 } } }],
    waits: [],
    ...(terminal ? { execution: { status: 'completed' as const, terminal: true, result: { n: 1 } } } : {}),
  });

  it("raises the parent's signal in its own update, and returns it to the parent's holder", async () => {
    const flow = await savedWorkflow(t, 'parent_and_child');
    const startOf = (parentExecutionId?: string): RunnableStart => ({
      execution: {
        tenantId: t.tenantId,
        workflowId: flow.id,
        version: flow.version,
        context: {},
        triggerType: parentExecutionId ? 'sub_workflow' : 'api',
        ...(parentExecutionId ? { parentExecutionId, parentStepKey: 'call' } : {}),
      },
      versionMustBeCurrent: true,
      lease: { owner: 'batch-owner', seconds: 30 },
    });
    const [parent] = await leased([startOf()]);
    const [child, bystander] = await leased([startOf(parent!.id), startOf()]);

    const results = await writeCheckpoints(
      poolQueryable(t.pool),
      [checkpointOf(parent!, false), checkpointOf(child!, true), checkpointOf(bystander!, false)],
      30,
    );
    expect(results.get(parent!.id)?.signalSeq).toBe(Number(parent!.signal_seq) + 1);
    expect(results.get(child!.id)).toMatchObject({ parentSignalled: false });
    expect(results.get(bystander!.id)?.signalSeq).toBe(Number(bystander!.signal_seq));
    const { rows: after } = await t.pool.query<{ id: string; signal_seq: number; last_event_seq: number; status: string }>(
      'select id, signal_seq, last_event_seq, status from executions where id = any($1)',
      [[parent!.id, child!.id]],
    );
    expect(Object.fromEntries(after.map((row) => [row.id, row]))).toEqual({
      [parent!.id]: { id: parent!.id, signal_seq: Number(parent!.signal_seq) + 1, last_event_seq: 3, status: 'running' },
      [child!.id]: { id: child!.id, signal_seq: 0, last_event_seq: 3, status: 'completed' },
    });
  });
});
