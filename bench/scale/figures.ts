import type pg from 'pg';

/**
 * The figures of a measured window [t0, t1), read from the scenario's database after the fact: the
 * database's own timestamps (created_at, completed_at, occurred_at) are the clock, so the coordinator's
 * polling rate never enters a throughput or a lag.
 */

export interface RunFigures {
  completed: number;
  failed: number;
  firstFailure?: string;
  perSecond: number;
  /**
   * Steps completed in the window / steps per run: the same rate without the waves of a closed loop
   * whose runs start and end together (slow runs otherwise make a short window count 0 or 50 of them).
   */
  stepRate: number;
  /** Runs/s in each of the window's equal parts: the spread within one scenario. */
  parts: number[];
  p50Ms: number;
  p99Ms: number;
  /** Runs the engine held at once, on average (from each run's created..completed span). */
  meanInFlight: number;
}

export interface Window {
  t0: Date;
  t1: Date;
}

const seconds = (window: Window) => (window.t1.getTime() - window.t0.getTime()) / 1000;

export async function dbNow(db: pg.Pool): Promise<Date> {
  const { rows } = await db.query<{ now: Date }>('select clock_timestamp() as now');
  return new Date(rows[0]!.now);
}

export async function runFigures(db: pg.Pool, workflow: string, window: Window, parts: number, stepsPerRun: number): Promise<RunFigures> {
  const span = seconds(window);
  const ofWorkflow = '(select id from workflows where name = $3)';
  const params = [window.t0, window.t1, workflow];
  const [summary, byPart, inFlight, failure, steps] = await Promise.all([
    db.query<{ completed: number; failed: number; p50: number | null; p99: number | null }>(
      `select count(*) filter (where status = 'completed')::int as completed, count(*) filter (where status = 'failed')::int as failed,
              percentile_cont(0.5) within group (order by extract(epoch from completed_at - created_at) * 1000) as p50,
              percentile_cont(0.99) within group (order by extract(epoch from completed_at - created_at) * 1000) as p99
       from executions where workflow_id in ${ofWorkflow} and completed_at >= $1 and completed_at < $2`,
      params,
    ),
    db.query<{ part: number; n: number }>(
      `select width_bucket(extract(epoch from completed_at - $1::timestamptz), 0, $4::float8, $5::int) as part, count(*)::int as n
       from executions where workflow_id in ${ofWorkflow} and status = 'completed' and completed_at >= $1 and completed_at < $2 group by 1`,
      [...params, span, parts],
    ),
    db.query<{ held: number | null }>(
      `select sum(extract(epoch from least(coalesce(completed_at, $2), $2) - greatest(created_at, $1))) as held
       from executions where workflow_id in ${ofWorkflow} and created_at < $2 and (completed_at is null or completed_at > $1)`,
      params,
    ),
    db.query<{ error: string }>(
      "select left(error::text, 200) as error from executions where workflow_id in (select id from workflows where name = $1) and status = 'failed' limit 1",
      [workflow],
    ),
    db.query<{ n: number }>(
      `select count(*)::int as n from execution_steps s join executions e on e.id = s.execution_id
       where e.workflow_id in ${ofWorkflow} and s.status = 'completed' and s.completed_at >= $1 and s.completed_at < $2`,
      params,
    ),
  ]);
  const row = summary.rows[0]!;
  const counts = Array.from({ length: parts }, (_, index) => byPart.rows.find((part) => part.part === index + 1)?.n ?? 0);
  return {
    completed: row.completed,
    failed: row.failed,
    ...(failure.rows[0] ? { firstFailure: failure.rows[0].error } : {}),
    perSecond: row.completed / span,
    stepRate: (steps.rows[0]?.n ?? 0) / stepsPerRun / span,
    parts: counts.map((n) => n / (span / parts)),
    p50Ms: row.p50 ?? Number.NaN,
    p99Ms: row.p99 ?? Number.NaN,
    meanInFlight: Number(inFlight.rows[0]?.held ?? 0) / span,
  };
}

export interface EventFigures {
  events: number;
  perSecond: number;
  /** Events the dispatchers marked dispatched within the window, per second (any event, earlier ones too). */
  dispatchedPerSecond: number;
  /** Events that started no run by the time of reading (their lag counts up to then). */
  unstarted: number;
  lagP50Ms: number;
  lagP99Ms: number;
  lagMaxMs: number;
  /** Event recorded → marked dispatched (the dispatcher's transaction committed). */
  dispatchedP99Ms: number;
}

/** Waits (bounded) until every event recorded before `until` is dispatched; false on timeout. */
export async function awaitDispatch(db: pg.Pool, until: Date, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const { rows } = await db.query<{ n: number }>(
      'select count(*)::int as n from domain_events where occurred_at < $1 and dispatched_at is null',
      [until],
    );
    if (rows[0]?.n === 0) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

/** Lag of each event recorded in the window: its run's created_at minus its occurred_at. */
export async function eventFigures(db: pg.Pool, window: Window): Promise<EventFigures> {
  const { rows } = await db.query<{
    events: number;
    started: number;
    p50: number | null;
    p99: number | null;
    max: number | null;
    dispatched_p99: number | null;
  }>(
    `with lags as (
       select e.created_at,
              (extract(epoch from coalesce(e.created_at, clock_timestamp()) - ev.occurred_at) * 1000)::float8 as lag,
              (extract(epoch from coalesce(ev.dispatched_at, clock_timestamp()) - ev.occurred_at) * 1000)::float8 as dispatched
       from domain_events ev
       left join event_deliveries d on d.event_id = ev.id
       left join executions e on e.id = d.execution_id
       where ev.occurred_at >= $1 and ev.occurred_at < $2)
     select count(*)::int as events, count(created_at)::int as started,
            percentile_cont(0.5) within group (order by lag) as p50, percentile_cont(0.99) within group (order by lag) as p99, max(lag) as max,
            percentile_cont(0.99) within group (order by dispatched) as dispatched_p99
     from lags`,
    [window.t0, window.t1],
  );
  const row = rows[0]!;
  const dispatched = await db.query<{ n: number }>(
    'select count(*)::int as n from domain_events where dispatched_at >= $1 and dispatched_at < $2',
    [window.t0, window.t1],
  );
  return {
    events: row.events,
    perSecond: row.events / seconds(window),
    dispatchedPerSecond: (dispatched.rows[0]?.n ?? 0) / seconds(window),
    unstarted: row.events - row.started,
    lagP50Ms: row.p50 ?? Number.NaN,
    lagP99Ms: row.p99 ?? Number.NaN,
    lagMaxMs: row.max ?? Number.NaN,
    dispatchedP99Ms: row.dispatched_p99 ?? Number.NaN,
  };
}
