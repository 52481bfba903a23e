import type { Client } from 'graphql-ws';
import {
  CreateWorkflowDocument,
  ExecuteWorkflowDocument,
  ExecutionDocument,
  ExecutionProgressDocument,
  LoginDocument,
  PublishEventDocument,
} from '../generated/graphql.js';
import { eventually } from '../helpers/eventually.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startFaultCluster, type ClusterProcess, type FaultCluster } from '../helpers/fault-cluster.mjs';
import { createWsClient, execute, nextWithin, subscribe, type GraphQLResponse } from '../helpers/graphql.js';

/**
 * Live progress across processes, in the production topology (docs/operations.md): the subscriber on an
 * API-only process, the run on a worker-only process, one Redis between them. The progress stream's idle
 * re-read of the log is set to an hour (SWITCHYARD_PROGRESS_IDLE_POLL_MS), so within the test's time
 * an event can reach the subscriber only through pub/sub: without the worker's publish, or the API
 * node's subscription to Redis, the stream hears nothing after its first read and the test times out.
 * The run is held on waits that only the test releases, and the test releases each one only once the
 * subscriber has heard the step before it: each step's events arrive while the run is still going.
 * Needs `npm run build`.
 */
const HOUR_MS = 3_600_000;
/** Generous: a loaded machine; pub/sub delivers in milliseconds, the idle re-read would take an hour. */
const HEAR_WITHIN_MS = 30_000;
const STAGES = 3;

/** Per stage: a wait released by `live.stage` with this run's token and the stage's number, then a step. */
const DEFINITION = {
  input: { type: 'object', required: ['token'], properties: { token: { type: 'string' } } },
  steps: Array.from({ length: STAGES }, (_, index) => [
    {
      name: `hold_${index + 1}`,
      type: 'wait',
      event: { name: 'live.stage', match: `event.token = context.token and event.stage = ${index + 1}`, timeoutSeconds: 3600 },
    },
    { name: `work_${index + 1}`, type: 'transform', output: { stage: index + 1 } },
  ]).flat(),
};

function ok<T>(response: GraphQLResponse<T>): T {
  if (!response.data) throw new Error(`GraphQL errors: ${JSON.stringify(response.errors)}`);
  return response.data;
}

describe('live progress across processes (API-only subscriber, worker-only run, Redis)', () => {
  let cluster: FaultCluster;
  let api: ClusterProcess;
  let headers: Record<string, string>;

  beforeAll(async () => {
    cluster = await startFaultCluster({
      apis: 1,
      workers: 1,
      schedulers: 0,
      logLevel: 'warn',
      env: { SWITCHYARD_PROGRESS_IDLE_POLL_MS: String(HOUR_MS) },
    });
    const [first] = cluster.apis();
    if (!first) throw new Error('the cluster has no API process');
    api = first;
    const { login } = ok(await execute(api.url, LoginDocument, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD }));
    headers = { authorization: `Bearer ${login.token}` };
    ok(await execute(api.url, CreateWorkflowDocument, { input: { name: 'live_stages', definition: DEFINITION } }, headers));
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
  }, 60_000);

  it("hears each step's events through pub/sub while the run is still going", async () => {
    const token = `live-${Date.now()}`;
    const started = ok(await execute(api.url, ExecuteWorkflowDocument, { name: 'live_stages', context: { token } }, headers));
    const id = started.executeWorkflow.execution.id;
    const recorded = () => execute(api.url, ExecutionDocument, { id, first: 1000 }, headers).then(ok);
    const parked = await eventually(
      'the run to park on its first hold',
      recorded,
      ({ execution }) => execution.status === 'WAITING',
      HEAR_WITHIN_MS,
    );

    const client: Client = createWsClient(api.wsUrl, headers);
    try {
      const events = subscribe(client, ExecutionProgressDocument, { executionId: id, afterSequence: 0 });
      const heard: Array<{ sequence: number; type: string; stepKey?: string | null | undefined }> = [];
      const hearUntil = async (done: (event: (typeof heard)[number]) => boolean) => {
        for (;;) {
          const result = await nextWithin(events, HEAR_WITHIN_MS);
          const event = result.data?.executionProgress;
          if (!event) throw new Error(`unexpected errors: ${JSON.stringify(result.errors)}`);
          heard.push(event);
          if (done(event)) return;
        }
      };
      // The log as it was when the stream opened: up to the run parked on hold_1.
      await hearUntil((event) => event.sequence === parked.execution.lastSequence);

      for (let stage = 1; stage <= STAGES; stage += 1) {
        ok(await execute(api.url, PublishEventDocument, { name: 'live.stage', payload: { token, stage } }, headers));
        // Stage k's step completed; the run then waits on the next hold, or ends after the last step.
        await hearUntil((event) => event.type === 'step.completed' && event.stepKey === `work_${stage}`);
        if (stage < STAGES) {
          await hearUntil((event) => event.type === 'execution.waiting');
          // Heard while the run still waits for the test: delivered live, not read after the end.
          expect((await recorded()).execution.status).toBe('WAITING');
        }
      }
      await hearUntil((event) => event.type === 'execution.completed');

      const final = (await recorded()).execution;
      expect(final.status).toBe('COMPLETED');
      // Every event of the log, once and in order.
      expect(heard.map((event) => event.sequence)).toEqual(final.events.nodes.map((event) => event.sequence));
      expect(heard.map((event) => event.sequence)).toEqual(Array.from({ length: final.lastSequence }, (_, index) => index + 1));
      const next = await events.next();
      expect(next.done).toBe(true);
    } finally {
      await client.dispose();
    }
  }, 180_000);
});
