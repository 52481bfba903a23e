import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { Customer } from '../../../src/entities/customer.entity.js';
import { SiteSurvey } from '../../../src/entities/domain/site-survey.entity.js';
import type { Clock } from '../../../src/engine/ports.js';
import type { JsonObject } from '../../../src/entities/json.js';
import {
  DomainCustomersDocument,
  DomainExecuteWorkflowDocument,
  DomainExecutionDocument,
  type DomainExecutionQuery,
} from '../../generated/graphql.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { eventually } from '../../helpers/eventually.js';
import { startFakeGenieAcs, type FakeGenieAcs } from '../../helpers/fake-genieacs.js';
import { execute } from '../../helpers/graphql.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';

export type Execution = DomainExecutionQuery['execution'];
export type ExecutionStep = Execution['steps'][number];

const TERMINAL = ['COMPLETED', 'FAILED', 'CANCELLED'];

/**
 * A Switchyard as `npm start` makes it — on a fresh database, so its first start seeds the demo data and
 * the built-in workflows (NODE_ENV development: test servers skip the demo) — with a fake GenieACS NBI
 * holding the demo CPE, and helpers to drive it through GraphQL as a user would.
 */
export interface WorkflowHarness {
  server: TestServer;
  acs: FakeGenieAcs;
  database: TestDatabase;
  tenantId: string;
  /** One operation as the admin; fails the test on any error. */
  gql<TData, TVariables>(document: TypedDocumentNode<TData, TVariables>, variables: TVariables): Promise<TData>;
  /** executeWorkflow through GraphQL: the new execution's id. */
  run(name: string, context: JsonObject): Promise<string>;
  execution(id: string): Promise<Execution>;
  /** Polls `execution(id)` until it is terminal (or `until` says so). */
  waitFor(id: string, until?: (execution: Execution) => boolean, timeoutMs?: number): Promise<Execution>;
  /**
   * The domain event last recorded under `name` whose payload `matches`, once the server's event dispatcher
   * has delivered it (to workflow triggers and waiting steps): the executions it started, by workflow name.
   */
  dispatched(name: string, matches: (payload: JsonObject) => boolean): Promise<{ eventId: string; started: Record<string, string> }>;
  query<R>(sql: string, params?: unknown[]): Promise<R[]>;
  stop(): Promise<void>;
}

export const DEMO_CPE_SERIAL = 'DEMO-CPE-0001';

/**
 * `clock`: the engine's (wait deadlines), for tests that move time instead of waiting for it; `env`: more
 * configuration (the systems outside a workflow reaches: a fake Kubernetes API, a fake model…).
 */
export async function startWorkflowHarness(options: { clock?: Clock; env?: Record<string, string> } = {}): Promise<WorkflowHarness> {
  const database = await createTestDatabase();
  const acs = await startFakeGenieAcs();
  acs.addDevice({ serial: DEMO_CPE_SERIAL });
  const server = await startTestServer({
    databaseUrl: database.url,
    env: { SWITCHYARD_DEMO_DATA: 'true', GENIEACS_URL: acs.url, LOG_LEVEL: 'silent', ...options.env },
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const tenantId = server.adminTenantId;

  const query = <R>(sql: string, params: unknown[] = []) => server.orm.em.fork().getConnection().execute<R[]>(sql, params);

  async function gql<TData, TVariables>(document: TypedDocumentNode<TData, TVariables>, variables: TVariables): Promise<TData> {
    const response = await (
      execute as (url: string, d: unknown, v: unknown, h: Record<string, string>) => ReturnType<typeof execute<TData, TVariables>>
    )(server.url, document, variables, server.adminHeaders);
    if (response.errors || !response.data) throw new Error(`GraphQL failed: ${JSON.stringify(response.errors)}`);
    return response.data;
  }

  const execution = async (id: string) => (await gql(DomainExecutionDocument, { id })).execution;

  async function waitFor(
    id: string,
    until: (execution: Execution) => boolean = (run) => TERMINAL.includes(run.status),
    timeoutMs = 45_000,
  ): Promise<Execution> {
    return eventually(
      `execution ${id}`,
      () => execution(id),
      (run) => {
        if (until(run)) return true;
        if (TERMINAL.includes(run.status))
          throw new Error(`execution ${id} ended ${run.status} (${JSON.stringify(run.error)}) before the awaited state`);
        return false;
      },
      timeoutMs,
    );
  }

  async function dispatched(name: string, matches: (payload: JsonObject) => boolean) {
    const rows = await query<{ id: string; payload: JsonObject }>(
      'select id, payload from domain_events where tenant_id = ? and name = ? order by occurred_at desc, id desc',
      [tenantId, name],
    );
    const event = rows.find((row) => matches(row.payload));
    if (!event) throw new Error(`no ${name} event recorded that matches`);
    // The server's event dispatcher delivers it to the triggers and the waiting steps, then marks it.
    await eventually(
      `the dispatch of the ${name} event ${event.id}`,
      () => query<{ dispatched_at: Date | null }>('select dispatched_at from domain_events where id = ?', [event.id]),
      ([row]) => Boolean(row?.dispatched_at),
      15_000,
    );
    const deliveries = await query<{ workflow_name: string; execution_id: string | null; status: string; error: unknown }>(
      'select workflow_name, execution_id, status, error from event_deliveries where event_id = ? order by workflow_name',
      [event.id],
    );
    const failed = deliveries.filter((delivery) => delivery.status !== 'started');
    if (failed.length > 0) throw new Error(`the ${name} event could not start: ${JSON.stringify(failed)}`);
    return {
      eventId: event.id,
      started: Object.fromEntries(deliveries.map((delivery) => [delivery.workflow_name, delivery.execution_id ?? ''])),
    };
  }

  return {
    server,
    acs,
    database,
    tenantId,
    gql,
    async run(name, context) {
      const data = await gql(DomainExecuteWorkflowDocument, { name, context });
      return data.executeWorkflow.execution.id;
    },
    execution,
    waitFor,
    dispatched,
    query,
    async stop() {
      await server.stop();
      await acs.stop();
      await database.drop();
    },
  };
}

/** The steps by key: status (and attempts, when asked). */
export function stepStatuses(execution: Execution): Record<string, string> {
  return Object.fromEntries(execution.steps.map((step) => [step.key, step.status]));
}

export function step(execution: Execution, key: string): ExecutionStep {
  const found = execution.steps.find((candidate) => candidate.key === key);
  if (!found) throw new Error(`execution ${execution.id} has no step ${key}: ${execution.steps.map((each) => each.key).join(', ')}`);
  return found;
}

/** The harness's tenant's customer with that e-mail (among its first 200), if any. */
export async function customerByEmail(h: WorkflowHarness, email: string) {
  return (await h.gql(DomainCustomersDocument, { first: 200 })).customers.find((customer) => customer.email === email);
}

/** A UTC day `days` from today, YYYY-MM-DD. */
export function dayFromToday(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * A customer of the harness's tenant; with `serial`, also a completed site survey at the demo point of
 * presence whose CPE has that serial.
 */
export async function surveyedCustomer(h: WorkflowHarness, name: string, serial?: string): Promise<string> {
  const em = h.server.orm.em.fork();
  const customer = em.create(Customer, { tenant: h.tenantId, name, email: `${name.toLowerCase().replace(/\W+/g, '.')}@isp.example` });
  if (serial) {
    em.create(SiteSurvey, {
      tenant: h.tenantId,
      customer,
      status: 'completed',
      address: `${name}'s house, Springfield`,
      recommendedBandwidth: '50M/10M',
      cpeSerial: serial,
      serviceLocation: 'demo-pop-1',
      completedAt: new Date(),
    });
  }
  await em.flush();
  return customer.id;
}

/**
 * A renewal parked on its quote's acceptance. WAITING alone is not enough: a run just retried or started
 * is WAITING (ready, wake time now) until a worker takes it.
 */
export function parkedForAcceptance(execution: Execution): boolean {
  return execution.status === 'WAITING' && execution.steps.some((each) => each.key === 'send_renewal_quote' && each.status === 'COMPLETED');
}
