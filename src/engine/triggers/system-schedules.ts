import type { JsonObject } from '../../entities/json.js';
import type { Queryable } from '../../infra/queryable.js';

/**
 * A schedule built into the scheduler rather than written in a workflow: code that runs at its ticks,
 * inside the transaction that claims the tick (so what it writes commits with the tick's advance). A
 * tick missed while no scheduler ran is run once when one is back; the work must be idempotent.
 */
export interface SystemSchedule {
  name: string;
  cron: string;
  timezone: string;
  /** Returns a summary, kept on the schedule's row. */
  run(db: Queryable, tick: SystemScheduleRun): Promise<JsonObject>;
}

/** What a system schedule's run is told. */
export interface SystemScheduleRun {
  now: Date;
  /**
   * With tracing on, the trace context of the tick's span (`traceparent`): store it with what the run records
   * (a domain event's `traceParent`), so what follows (the runs an event starts) joins the tick's trace.
   */
  traceParent?: string;
}
