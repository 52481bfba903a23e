import { executionTopic, type ExecutionEventMessage } from '../../../src/engine/index.js';
import {
  CancelExecutionDocument,
  ExecuteWorkflowDocument,
  ExecutionDocument,
  ExecutionProgressDocument,
  ExecutionsChangedDocument,
  RetryExecutionDocument,
  type ExecutionProgressSubscription,
} from '../../generated/graphql.js';
import { adminQuery, createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { produceUntilDelivered } from '../../helpers/eventually.js';
import { createWsClient, execute, nextWithin, subscribe } from '../../helpers/graphql.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { DEFINITIONS, codeOf, ok, untilComplete, waitForExecution, type SubscriptionResult } from './support.js';

type Progress = ExecutionProgressSubscription['executionProgress'];

const sequences = (events: readonly Progress[]) => events.map((event) => event.sequence);
const contiguous = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => from + index);

function progressOf(results: ReadonlyArray<SubscriptionResult<ExecutionProgressSubscription>>): Progress[] {
  return results.map((result) => {
    if (result.errors || !result.data) throw new Error(`unexpected errors: ${JSON.stringify(result.errors)}`);
    return result.data.executionProgress;
  });
}

describe('executionProgress and executionsChanged', () => {
  let database: TestDatabase;
  let server: TestServer;
  let headers: Record<string, string>;

  const start = async (name: string, context: Record<string, unknown> = {}) =>
    ok(await execute(server.url, ExecuteWorkflowDocument, { name, context }, headers)).executeWorkflow.execution.id;
  const log = async (id: string) => ok(await execute(server.url, ExecutionDocument, { id, first: 1000 }, headers)).execution;

  beforeAll(async () => {
    database = await createTestDatabase();
    // A lost notification is caught up by the idle read of the log after 1 s rather than the default 5 s.
    server = await startTestServer({ databaseUrl: database.url, progressIdlePollMs: 1_000 });
    headers = server.adminHeaders;
    for (const [name, definition] of Object.entries(DEFINITIONS)) {
      await server.engine.workflows.save({ tenantId: server.adminTenantId, name, definition: JSON.parse(JSON.stringify(definition)) });
    }
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  it('sends the log, then live events, each once and in order, and completes after the final event', async () => {
    const id = await start('ticking');
    const client = createWsClient(server.wsUrl, headers);
    try {
      const events = progressOf(await untilComplete(subscribe(client, ExecutionProgressDocument, { executionId: id, afterSequence: 0 })));
      const recorded = await log(id);
      expect(recorded.status).toBe('COMPLETED');
      expect(sequences(events)).toEqual(contiguous(1, recorded.lastSequence));
      expect(events.map((event) => [event.type, event.stepKey])).toEqual(recorded.events.nodes.map((event) => [event.type, event.stepKey]));
      expect(events.at(-1)).toMatchObject({ type: 'execution.completed', execution: { id, status: 'COMPLETED' } });
      expect(events.every((event) => event.executionId === id)).toBe(true);
    } finally {
      await client.dispose();
    }
  });

  it('resumes by cursor across a reconnect without a gap or a duplicate', async () => {
    const id = await start('ticking');
    const first = createWsClient(server.wsUrl, headers);
    const seen: Progress[] = [];
    try {
      const events = subscribe(first, ExecutionProgressDocument, { executionId: id, afterSequence: 0 });
      for (let i = 0; i < 3; i += 1) seen.push(...progressOf([await nextWithin(events)]));
      await events.return?.();
    } finally {
      await first.dispose();
    }
    // The run goes on while nobody listens: events the second subscription must fetch from the log.
    const last = seen.at(-1)?.sequence ?? 0;
    await waitForExecution(server.url, headers, id, (execution) => execution.lastSequence > last);
    const second = createWsClient(server.wsUrl, headers);
    try {
      seen.push(...progressOf(await untilComplete(subscribe(second, ExecutionProgressDocument, { executionId: id, afterSequence: last }))));
    } finally {
      await second.dispose();
    }
    const recorded = await log(id);
    expect(sequences(seen)).toEqual(contiguous(1, recorded.lastSequence));
    expect(seen.map((event) => event.type)).toEqual(recorded.events.nodes.map((event) => event.type));
    expect(seen.at(-1)?.type).toBe('execution.completed');
  });

  it('replays a finished run, and completes at once for a client that saw it all', async () => {
    const id = await start('three_steps', { n: 2 });
    const { lastSequence } = await waitForExecution(server.url, headers, id);
    const client = createWsClient(server.wsUrl, headers);
    try {
      const all = progressOf(await untilComplete(subscribe(client, ExecutionProgressDocument, { executionId: id, afterSequence: 0 })));
      expect(sequences(all)).toEqual(contiguous(1, lastSequence));
      const tail = progressOf(
        await untilComplete(subscribe(client, ExecutionProgressDocument, { executionId: id, afterSequence: lastSequence - 2 })),
      );
      expect(sequences(tail)).toEqual([lastSequence - 1, lastSequence]);
      expect(await untilComplete(subscribe(client, ExecutionProgressDocument, { executionId: id, afterSequence: lastSequence }))).toEqual(
        [],
      );
    } finally {
      await client.dispose();
    }
  });

  it('fills gaps from the log, drops duplicates, and catches up on a lost notification', async () => {
    const id = await start('long_wait');
    const { lastSequence: parked } = await waitForExecution(server.url, headers, id, (execution) => execution.status === 'WAITING');

    /** An event in the log (as a commit would leave it), published live or not. */
    const append = async (type: string, publish: 'publish' | 'lost') => {
      const { rows } = await adminQuery(
        database.url,
        'update executions set last_event_seq = last_event_seq + 1 where id = $1 returning last_event_seq',
        [id],
      );
      const seq = Number((rows[0] as { last_event_seq: number }).last_event_seq);
      await adminQuery(
        database.url,
        `insert into execution_events (execution_id, seq, type, payload, created_at) values ($1, $2, $3, '{"marker":true}', now())`,
        [id, seq, type],
      );
      const message: ExecutionEventMessage = {
        executionId: id,
        tenantId: server.adminTenantId,
        seq,
        type,
        stepKey: null,
        payload: { marker: true },
        at: new Date().toISOString(),
      };
      if (publish === 'publish') await server.pubsub.publish(executionTopic(id), [message]);
      return message;
    };

    const client = createWsClient(server.wsUrl, headers);
    const received: Progress[] = [];
    try {
      const events = subscribe(client, ExecutionProgressDocument, { executionId: id, afterSequence: 0 });
      const take = async (count: number) => {
        for (let i = 0; i < count; i += 1) received.push(...progressOf([await nextWithin(events)]));
      };
      await take(parked);
      expect(sequences(received)).toEqual(contiguous(1, parked));

      // Two events whose notifications were lost, then one that arrives: all three, in order.
      await append('test.lost_1', 'lost');
      await append('test.lost_2', 'lost');
      await append('test.live_3', 'publish');
      await take(3);
      expect(received.slice(-3).map((event) => event.type)).toEqual(['test.lost_1', 'test.lost_2', 'test.live_3']);

      // A repeated notification, and one delivered twice: each event once.
      const repeated = await append('test.live_4', 'publish');
      await server.pubsub.publish(executionTopic(id), [repeated]);
      await server.pubsub.publish(executionTopic(id), [{ ...repeated, seq: repeated.seq - 2 }]);
      await take(1);
      expect(received.at(-1)?.type).toBe('test.live_4');

      // Nothing published at all: the idle catch-up finds it.
      await append('test.lost_5', 'lost');
      await take(1);
      expect(received.at(-1)?.type).toBe('test.lost_5');

      ok(await execute(server.url, CancelExecutionDocument, { id }, headers));
      received.push(...progressOf(await untilComplete(events)));
    } finally {
      await client.dispose();
    }
    const recorded = await log(id);
    expect(recorded.status).toBe('CANCELLED');
    expect(sequences(received)).toEqual(contiguous(1, recorded.lastSequence));
    expect(received.at(-1)?.type).toBe('execution.cancelled');
  }, 40_000);

  it('answers NOT_FOUND for an execution that does not exist', async () => {
    const client = createWsClient(server.wsUrl, headers);
    try {
      for (const executionId of ['00000000-0000-4000-8000-000000000000', 'not-an-id']) {
        const [result, ...rest] = await untilComplete(subscribe(client, ExecutionProgressDocument, { executionId, afterSequence: 0 }));
        expect(rest).toEqual([]);
        expect(result?.errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
      }
      const negative = await untilComplete(
        subscribe(client, ExecutionProgressDocument, { executionId: '00000000-0000-4000-8000-000000000000', afterSequence: -1 }),
      );
      expect(negative[0]?.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    } finally {
      await client.dispose();
    }
  });

  it('tells dashboards of runs starting and finishing, filtered by workflow and status', async () => {
    const client = createWsClient(server.wsUrl, headers);
    const finished = subscribe(client, ExecutionsChangedDocument, { filter: { workflow: 'three_steps', status: ['COMPLETED'] } });
    const everything = subscribe(client, ExecutionsChangedDocument, {});
    try {
      // Live once the first event arrives; until then keep starting runs of both workflows.
      const first = await produceUntilDelivered('a completed three_steps run delivered', nextWithin(finished), async (round) => {
        await start('gate', { ok: true });
        await start('three_steps', { n: round });
      });
      const change = first.data?.executionsChanged;
      expect(change).toMatchObject({
        type: 'execution.completed',
        status: 'COMPLETED',
        execution: { status: 'COMPLETED', workflow: { name: 'three_steps' } },
      });

      // From now on: a gate run and a three_steps run; the filtered stream shows the latter's completion only.
      await start('gate', { ok: true });
      const wanted = await start('three_steps', { n: 99 });
      let next = await nextWithin(finished);
      while (next.data?.executionsChanged.executionId !== wanted) {
        expect(next.data?.executionsChanged).toMatchObject({ status: 'COMPLETED', execution: { workflow: { name: 'three_steps' } } });
        next = await nextWithin(finished);
      }

      // The unfiltered stream carries every status change of the tenant's runs, the gate's included.
      const types = new Set<string>();
      const workflows = new Set<string>();
      for (let i = 0; i < 6; i += 1) {
        const { data } = await nextWithin(everything);
        if (!data) throw new Error('no data');
        types.add(data.executionsChanged.type);
        workflows.add(data.executionsChanged.execution.workflow.name);
      }
      expect([...types]).toEqual(expect.arrayContaining(['execution.created', 'execution.completed']));
      expect(workflows).toEqual(new Set(['gate', 'three_steps']));

      const unknown = await untilComplete(subscribe(client, ExecutionsChangedDocument, { filter: { workflow: 'no_such' } }));
      expect(codeOf({ status: 200, errors: unknown[0]?.errors ? [...unknown[0].errors] : [] })).toBe('NOT_FOUND');
    } finally {
      await finished.return?.();
      await everything.return?.();
      await client.dispose();
    }
  });

  it("narrows executionsChanged to one run: a finished run's retry is heard, no other run's change", async () => {
    const id = await start('gate', { ok: false });
    await waitForExecution(server.url, headers, id);
    const client = createWsClient(server.wsUrl, headers);
    const one = subscribe(client, ExecutionsChangedDocument, { filter: { executionId: id } });
    try {
      // Live once its first change arrives: until then retry it (it fails again) beside other runs' changes.
      const first = await produceUntilDelivered('a change of the one run delivered', nextWithin(one), async (round) => {
        await start('three_steps', { n: round });
        await waitForExecution(server.url, headers, id);
        ok(await execute(server.url, RetryExecutionDocument, { id }, headers));
      });
      const changes = [first.data?.executionsChanged];
      await start('three_steps', { n: 100 });
      while (changes.at(-1)?.type !== 'execution.failed') changes.push((await nextWithin(one)).data?.executionsChanged);
      expect(changes.every((change) => change?.executionId === id && change.execution.id === id)).toBe(true);
      expect(changes.map((change) => change?.type)).toEqual(expect.arrayContaining(['execution.failed']));
      expect(changes.at(-1)).toMatchObject({ status: 'FAILED', execution: { status: 'FAILED', workflow: { name: 'gate' } } });
    } finally {
      await one.return?.();
      await client.dispose();
    }
  });
});
