import { randomUUID } from 'node:crypto';
import type { TriggerType } from '../../../src/entities/statuses.js';
import { poolQueryable } from '../../../src/infra/queryable.js';
import { insertRunnableExecutions, type RunnableStart } from '../../../src/engine/store/execution-inserts.js';
import { savedWorkflow, useTestEngine } from '../../helpers/engine.js';

/** Starts outside a caller's transaction are group-committed: many runs recorded in one statement. */
describe('engine: starts recorded together', () => {
  const t = useTestEngine();
  const owner = 'batch-test-owner';

  const startOf = (
    flow: { id: string; version: number },
    extra: Partial<RunnableStart['execution']> = {},
    versionMustBeCurrent = true,
  ): RunnableStart => ({
    execution: { tenantId: t.tenantId, workflowId: flow.id, version: flow.version, context: {}, triggerType: 'api', ...extra },
    versionMustBeCurrent,
    lease: { owner, seconds: 30 },
  });

  it('answers each start of one statement on its own: leased, existing, stale, unknown tenant', async () => {
    const flow = await savedWorkflow(t, 'batched_starts');
    const answers = await insertRunnableExecutions(poolQueryable(t.pool), [
      startOf(flow, { context: { n: 1 } }),
      startOf(flow, { idempotencyKey: 'same-key' }),
      startOf(flow, { idempotencyKey: 'same-key' }),
      startOf({ ...flow, version: flow.version + 1 }),
      startOf(flow, { tenantId: randomUUID() }),
    ]);
    const [first, keyed, again, stale, unknown] = answers;
    if (first instanceof Error || first?.kind !== 'leased') throw new Error(`not leased: ${JSON.stringify(first)}`);
    expect(first.row).toMatchObject({ status: 'running', context: { n: 1 }, previous_status: 'pending', tenant_id: t.tenantId });
    expect(Number(first.row.lease_epoch)).toBe(1);
    if (keyed instanceof Error || keyed?.kind !== 'leased') throw new Error(`not leased: ${JSON.stringify(keyed)}`);
    expect(again).toEqual({ kind: 'existing', id: keyed.row.id });
    expect(stale).toEqual({ kind: 'stale-version' });
    expect(unknown).toBeInstanceOf(Error);
    expect((unknown as Error).message).toMatch(/no tenant/);
    const { rows } = await t.pool.query<{ id: string; lease_owner: string; events: string }>(
      `select e.id, e.lease_owner, string_agg(v.type, ',' order by v.seq) as events
       from executions e join execution_events v on v.execution_id = e.id where e.id = any($1) group by e.id, e.lease_owner`,
      [[first.row.id, keyed.row.id]],
    );
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row).toMatchObject({ lease_owner: owner, events: 'execution.created,execution.started' });
  });

  it('records a start without a lease due for any worker, next to leased ones in one statement', async () => {
    const flow = await savedWorkflow(t, 'due_and_leased');
    const { lease: _, ...unleased } = startOf(flow, { context: { n: 2 } });
    const answers = await insertRunnableExecutions(poolQueryable(t.pool), [startOf(flow), unleased]);
    const [leased, due] = answers;
    if (leased instanceof Error || leased?.kind !== 'leased') throw new Error(`not leased: ${JSON.stringify(leased)}`);
    if (due instanceof Error || due?.kind !== 'due') throw new Error(`not due: ${JSON.stringify(due)}`);
    const { rows } = await t.pool.query<{
      status: string;
      lease_owner: string | null;
      lease_epoch: string;
      due: boolean;
      unstarted: boolean;
      events: string;
    }>(
      `select e.status, e.lease_owner, e.lease_epoch, e.wake_at <= now() as due, e.started_at is null as unstarted,
              string_agg(v.type, ',' order by v.seq) as events
       from executions e join execution_events v on v.execution_id = e.id where e.id = $1
       group by e.id`,
      [due.id],
    );
    expect(rows).toEqual([
      { status: 'pending', lease_owner: null, lease_epoch: '0', due: true, unstarted: true, events: 'execution.created' },
    ]);
  });

  it('records a run queued by a concurrency limit at the current version, though the lookup was cached', async () => {
    const limited = (label: string) => ({
      concurrency: { limit: 1 },
      steps: [{ name: 'hold', type: 'wait', event: { name: `never.${label}` } }],
    });
    await t.save('limited_versions', limited('one'));
    const first = await t.start('limited_versions');
    // Saved behind the start path's back: its cached lookup still names version 1.
    await t.save('limited_versions', limited('two'));
    const second = await t.start('limited_versions');
    const { rows } = await t.pool.query<{ id: string; status: string; workflow_version: number }>(
      'select id, status, workflow_version from executions where id = any($1)',
      [[first, second]],
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    expect(byId.get(first)?.workflow_version).toBe(1);
    expect(byId.get(second)).toMatchObject({ status: 'queued', workflow_version: 2 });
  });

  it("keeps one start's fault its own: the batch is tried again start by start", async () => {
    const flow = await savedWorkflow(t, 'batch_with_a_fault');
    // A trigger type the table refuses fails the whole statement.
    const answers = await insertRunnableExecutions(poolQueryable(t.pool), [
      startOf(flow),
      startOf(flow, { triggerType: 'not-a-trigger' as TriggerType }),
      startOf(flow),
    ]);
    expect(answers.map((answer) => (answer instanceof Error ? 'error' : answer.kind))).toEqual(['leased', 'error', 'leased']);
    expect((answers[1] as Error).message).toMatch(/check constraint/);
  });

  it('runs every one of many starts made at once', async () => {
    await t.save('many_at_once', { steps: [{ name: 'one', type: 'transform', output: { n: 1 } }] });
    const ids = await Promise.all(Array.from({ length: 40 }, () => t.start('many_at_once')));
    expect(new Set(ids).size).toBe(40);
    const ended = await Promise.all(ids.map((id) => t.waitFor(id)));
    expect(ended.map((execution) => execution.status)).toEqual(ids.map(() => 'completed'));
  });
});
