import { randomUUID } from 'node:crypto';
import { tenantExecutionsFeed } from '../../../src/engine/index.js';
import { silentObserver, type EngineObserver } from '../../../src/engine/ports.js';
import { writeCheckpoints, type Checkpoint } from '../../../src/engine/store/checkpoints.js';
import { insertRunnableExecutions, type RunnableStart } from '../../../src/engine/store/execution-inserts.js';
import type { ExecutionEventMessage } from '../../../src/engine/topics.js';
import { poolQueryable } from '../../../src/infra/queryable.js';
import { savedWorkflow, useTestEngine } from '../../helpers/engine.js';

/**
 * A run started in this process goes on while its insert commits (runtime/admission.ts): a first step
 * without effects commits with the run's insert, anything else waits for it, and a run the insert does
 * not record leaves nothing behind.
 */
describe('engine: a run’s first step commits with its start', () => {
  /** Checkpoint statements, and the checkpoints in them. */
  const statements: number[] = [];
  const observer: EngineObserver = { ...silentObserver, checkpointCommitted: ({ checkpoints }) => statements.push(checkpoints) };
  const t = useTestEngine({ deps: { observer } });

  it('writes a first transform step with the insert: one checkpoint statement for a two-step run, its events in order', async () => {
    await t.save('two_transforms', {
      steps: [
        { name: 'a', type: 'transform', output: { n: 1 } },
        { name: 'b', type: 'transform', output: { n: 2 } },
      ],
    });
    // The first run reads the definition (a statement): its insert is sent before step a has run.
    await t.run('two_transforms');
    const feed = await tenantExecutionsFeed(t.pubsub, t.tenantId);
    statements.length = 0;
    const { executionId, execution } = await t.run('two_transforms');
    expect(execution.status).toBe('completed');
    // Step b's outcome and the run's end: the only checkpoint of its own.
    expect(statements).toEqual([1]);
    expect((await t.steps(executionId)).map((step) => [step.key, step.status])).toEqual([
      ['a', 'completed'],
      ['b', 'completed'],
    ]);
    const expected = [
      'execution.created',
      'execution.started',
      'step.started',
      'step.completed',
      'step.started',
      'step.completed',
      'execution.completed',
    ];
    expect((await t.events(executionId)).map((event) => [event.seq, event.type])).toEqual(expected.map((type, i) => [i + 1, type]));
    const { rows } = await t.pool.query<{ last_event_seq: number }>('select last_event_seq from executions where id = $1', [executionId]);
    expect(rows[0]?.last_event_seq).toBe(7);
    // The tenant's dashboards hear the run's own events in order, the start's before the end.
    const heard: ExecutionEventMessage[] = [];
    for await (const event of feed) {
      if (event.executionId !== executionId) continue;
      heard.push(event);
      if (event.type === 'execution.completed') break;
    }
    expect(heard.map((event) => [event.seq, event.type])).toEqual([
      [1, 'execution.created'],
      [2, 'execution.started'],
      [7, 'execution.completed'],
    ]);
  });

  it('runs a first step with local effects only once its run is recorded, and once', async () => {
    await t.save('record_first', {
      steps: [
        { name: 'write', type: 'service_call', service: 'test', method: 'record', params: { label: 'ahead-local' } },
        { name: 'after', type: 'transform', output: { done: true } },
      ],
    });
    const { executionId, execution } = await t.run('record_first');
    expect(execution.status).toBe('completed');
    expect((await t.effects()).filter((effect) => effect.label === 'ahead-local')).toEqual([
      { idempotency_key: `${executionId}:write`, label: 'ahead-local' },
    ]);
    expect((await t.events(executionId)).map((event) => event.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('leaves nothing of a run its insert did not record (an idempotency key already used)', async () => {
    await t.save('keyed_ahead', { steps: [{ name: 'only', type: 'service_call', service: 'test', method: 'echo', params: { x: 1 } }] });
    const starts = await Promise.all(
      Array.from({ length: 5 }, () => t.engine.start({ tenantId: t.tenantId, workflow: 'keyed_ahead', idempotencyKey: 'ahead-key' })),
    );
    const ids = new Set(starts.map((start) => start.executionId));
    expect(ids.size).toBe(1);
    const [id] = [...ids];
    expect(await t.waitFor(id!)).toMatchObject({ status: 'completed', result: { only: { x: 1 } } });
    const { rows } = await t.pool.query<{ runs: number; steps: number; events: number }>(
      `select count(distinct e.id)::int as runs,
              (select count(*) from execution_steps s join executions x on x.id = s.execution_id where x.idempotency_key = 'ahead-key')::int as steps,
              (select count(*) from execution_events v where v.execution_id not in (select id from executions))::int as events
       from executions e where e.idempotency_key = 'ahead-key'`,
    );
    expect(rows[0]).toEqual({ runs: 1, steps: 1, events: 0 });
  });
});

/** The insert with riders: a leased run's first checkpoint is written with it, a refused one's is not. */
describe('engine: first checkpoints in the start statement', () => {
  const t = useTestEngine({ worker: false });

  const rider = (checkpoint: Checkpoint | undefined) => ({ take: () => checkpoint });
  // Timestamps travel as epoch milliseconds (store/positional-rows.ts): they must come back to the millisecond.
  const STARTED = new Date('2026-12-05T01:02:03.456Z');
  const COMPLETED = new Date('2026-12-05T01:02:04.007Z');
  const firstCheckpoint = (executionId: string): Checkpoint => ({
    executionId,
    tenantId: t.tenantId,
    epoch: 1,
    steps: [
      {
        key: 'one',
        name: 'one',
        type: 'transform',
        sequence: 1,
        status: 'completed',
        attempts: 1,
        output: { n: 1 },
        startedAt: STARTED,
        completedAt: COMPLETED,
      },
    ],
    events: [
      { type: 'step.started', stepKey: 'one', payload: { type: 'transform', attempt: 1 } },
      { type: 'step.completed', stepKey: 'one', payload: { output: { n: 1 } } },
    ],
    waits: [],
  });

  /** A start leased to a test owner; with `id`, chosen here and carrying that run's first checkpoint. */
  const leasedStart = (
    flow: { id: string; version: number },
    id?: string,
    extra: { idempotencyKey?: string; version?: number } = {},
  ): RunnableStart => ({
    ...(id ? { id, rider: rider(firstCheckpoint(id)) } : {}),
    execution: {
      tenantId: t.tenantId,
      workflowId: flow.id,
      version: extra.version ?? flow.version,
      context: {},
      triggerType: 'api',
      ...(extra.idempotencyKey ? { idempotencyKey: extra.idempotencyKey } : {}),
    },
    versionMustBeCurrent: true,
    lease: { owner: 'rider-owner', seconds: 30 },
  });

  it('writes the riders of leased runs, and nothing of a run that already existed or of a stale version', async () => {
    const flow = await savedWorkflow(t, 'riders');
    const startOf = (id: string, extra: { idempotencyKey?: string; version?: number } = {}) => leasedStart(flow, id, extra);
    const [leased, keyed, again, stale] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const answers = await insertRunnableExecutions(poolQueryable(t.pool), [
      startOf(leased),
      startOf(keyed, { idempotencyKey: 'rider-key' }),
      startOf(again, { idempotencyKey: 'rider-key' }),
      startOf(stale, { version: flow.version + 1 }),
    ]);
    expect(answers.map((answer) => (answer instanceof Error ? answer.message : answer.kind))).toEqual([
      'leased',
      'leased',
      'existing',
      'stale-version',
    ]);
    const written = await t.pool.query<{ id: string; last_event_seq: number; events: string; steps: number }>(
      `select e.id, e.last_event_seq, string_agg(v.seq || ':' || v.type, ',' order by v.seq) as events,
              (select count(*) from execution_steps s where s.execution_id = e.id)::int as steps
       from executions e join execution_events v on v.execution_id = e.id group by e.id order by e.id`,
    );
    const events = '1:execution.created,2:execution.started,3:step.started,4:step.completed';
    expect(written.rows).toEqual([leased, keyed].sort().map((id) => ({ id, last_event_seq: 4, events, steps: 1 })));
    const dates = await t.pool.query<{ started_at: Date; completed_at: Date }>(
      'select started_at, completed_at from execution_steps where execution_id = $1',
      [leased],
    );
    expect(dates.rows).toEqual([{ started_at: STARTED, completed_at: COMPLETED }]);
    const strays = await t.pool.query<{ n: number }>('select count(*)::int as n from execution_steps where execution_id = any($1)', [
      [again, stale],
    ]);
    expect(strays.rows[0]?.n).toBe(0);
  });

  it("writes a checkpoint's dates to the millisecond: a step's, an event wait's expiry", async () => {
    const [answer] = await insertRunnableExecutions(poolQueryable(t.pool), [leasedStart(await savedWorkflow(t, 'dated'))]);
    if (answer instanceof Error || answer?.kind !== 'leased') throw new Error(`not leased: ${JSON.stringify(answer)}`);
    const id = answer.row.id;
    const expiresAt = new Date('2026-12-06T00:00:00.999Z');
    const written = await writeCheckpoints(
      poolQueryable(t.pool),
      [{ ...firstCheckpoint(id), waits: [{ stepKey: 'one', eventName: 'paid', expiresAt }] }],
      30,
    );
    expect(written.get(id)?.lastEventSeq).toBe(4);
    const step = await t.pool.query('select started_at, completed_at from execution_steps where execution_id = $1', [id]);
    expect(step.rows).toEqual([{ started_at: STARTED, completed_at: COMPLETED }]);
    const wait = await t.pool.query('select expires_at from execution_waits where execution_id = $1', [id]);
    expect(wait.rows).toEqual([{ expires_at: expiresAt }]);
  });
});
