import type { MikroORM } from '@mikro-orm/postgresql';
import type pg from 'pg';
import type { Clock } from '../../../src/engine/ports.js';
import type { JsonObject } from '../../../src/entities/json.js';
import { recordDomainEvent } from '../../../src/services/domain-events.js';
import { useTestEngine, type TestEngine } from '../../helpers/engine.js';

/** A clock that moves only when told: schedules are tested against it, never against wall time. */
export interface SimulatedClock extends Clock {
  set(iso: string): void;
}

export function simulatedClock(startIso: string): SimulatedClock {
  let current = new Date(startIso);
  return {
    now: () => new Date(current.getTime()),
    set(iso) {
      current = new Date(iso);
    },
  };
}

/** Records a domain event the way a service does: through the outbox, in a transaction of its own. */
export async function recordEvent(
  orm: MikroORM,
  event: { tenantId: string; name: string; payload: JsonObject; id?: string },
): Promise<string> {
  return orm.em.fork().transactional(async (em) => {
    const recorded = recordDomainEvent(em, { ...event, source: 'test' });
    await em.flush();
    return recorded.id;
  });
}

export interface ExecutionSummary {
  id: string;
  workflow: string;
  status: string;
  context: JsonObject;
  trigger_type: string;
  trigger_source: string | null;
  idempotency_key: string | null;
}

export async function executionsOf(pool: pg.Pool, tenantId: string, workflow: string): Promise<ExecutionSummary[]> {
  const { rows } = await pool.query<ExecutionSummary>(
    `select e.id, w.name as workflow, e.status, e.context, e.trigger_type, e.trigger_source, e.idempotency_key
     from executions e join workflows w on w.id = e.workflow_id
     where e.tenant_id = $1 and w.name = $2 order by e.created_at, e.idempotency_key`,
    [tenantId, workflow],
  );
  return rows;
}

export { eventually } from '../../helpers/eventually.js';

/**
 * The file's test engine (useTestEngine) with a clock that runs `skew.ms` off the wall clock, and its
 * worker: set it a minute back or ahead to make "the step started before (or after) the event" a fact of
 * the data rather than of timing (the wait-vs-event race, the lookback).
 */
export function useSkewedEngine(): { t: TestEngine; skew: { ms: number } } {
  const skew = { ms: 0 };
  const t = useTestEngine({
    worker: false,
    config: { inProcessWaitMs: 500 },
    deps: { clock: { now: () => new Date(Date.now() + skew.ms) } },
  });
  beforeAll(async () => {
    await t.startWorker({ concurrency: 4 });
  });
  return { t, skew };
}
