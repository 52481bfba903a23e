import type pg from 'pg';
import type { JsonObject } from '../../entities/json.js';
import { isTerminalExecutionStatus } from '../../entities/statuses.js';
import { coerceError, isPermanentError } from '../../errors.js';
import { healthAfter, type ComponentHealth } from '../health.js';
import type { Logger } from '../../logger.js';
import { compileCron } from '../definition/cron.js';
import type { Clock, EngineObserver, RunTracer, TickResult } from '../ports.js';
import { toRecordedError } from '../runtime/errors.js';
import type { Queryable } from '../../infra/queryable.js';
import {
  advanceSchedule,
  advanceSystemSchedule,
  claimDueSchedules,
  claimDueSystemSchedules,
  ensureSystemSchedule,
  executionStatus,
  recordScheduleRun,
  trySyncLock,
  unsyncedWorkflows,
  type ScheduleRow,
} from '../store/schedule-store.js';
import type { TriggerEngine } from './ports.js';
import { catchUpRun, DEFAULT_PLAN_OPTIONS, planTicks } from './schedule-plan.js';
import { syncWorkflowSchedules } from './schedule-sync.js';
import type { SystemSchedule } from './system-schedules.js';
import { inSavepoint, withTransaction } from '../store/transactions.js';

/**
 * The scheduler: fires workflows' cron schedules, exactly one execution per tick however many
 * scheduler processes run. Each pass
 *   1. mirrors changed definitions into workflow_schedules (one scheduler at a time: an advisory lock);
 *   2. claims due schedules with FOR UPDATE SKIP LOCKED and, per schedule, plans its ticks (on time,
 *      missed → catch-up policy, see schedule-plan.ts), starts one execution per tick with the key
 *      `schedule:<workflow id>:<name>:<tick ISO>` — so a tick handled twice (a crash before commit)
 *      finds its first run — unless `overlap: skip` and the previous run still goes, records what
 *      each tick did (schedule_runs) and moves the schedule to its next tick, all in one transaction;
 *   3. runs the system schedules that are due (the composition root's, e.g. the expiring-soon scan) the same way.
 * Times come from the clock it is given: a simulated one in tests.
 */

export interface SchedulerOptions {
  /** How often to look for due ticks and changed definitions. */
  pollIntervalMs: number;
  /** A tick found later than this after its time passed while no scheduler ran: the catch-up policy decides. */
  graceMs: number;
  /** Schedules claimed per transaction. */
  batchSize: number;
}

export const DEFAULT_SCHEDULER_OPTIONS: SchedulerOptions = { pollIntervalMs: 1_000, graceMs: DEFAULT_PLAN_OPTIONS.graceMs, batchSize: 50 };

export interface SchedulerReport {
  synced: number;
  started: number;
  skipped: number;
  missed: number;
  failed: number;
  system: string[];
}

export interface Scheduler {
  runOnce(): Promise<SchedulerReport>;
  start(): void;
  stop(): Promise<void>;
  /** For readiness: not ok while its passes fail (the database away); they are retried each poll. */
  health(): ComponentHealth;
}

export interface SchedulerDeps {
  pool: pg.Pool;
  engine: Pick<TriggerEngine, 'start'>;
  logger: Logger;
  clock: Clock;
  options?: Partial<SchedulerOptions>;
  /** Code run at cron ticks (the composition root's; none by default). */
  systemSchedules?: readonly SystemSchedule[];
  /** Told how late each tick started its run (metrics). */
  observer?: Pick<EngineObserver, 'scheduleFired'>;
  /** With tracing on: a span per tick, the parent of the run it starts (or, for a system schedule, of what it records). */
  tracer?: Pick<RunTracer, 'scheduleTick' | 'systemTick' | 'traceParent'>;
}

const MAX_SYNC_PER_PASS = 100;

export function createScheduler(deps: SchedulerDeps): Scheduler {
  const { pool, engine, logger, clock } = deps;
  const options: SchedulerOptions = { ...DEFAULT_SCHEDULER_OPTIONS, ...deps.options };
  const systemSchedules = deps.systemSchedules ?? [];
  let systemRowsEnsured = false;

  const inTransaction = <T>(work: (db: Queryable) => Promise<T>): Promise<T> => withTransaction(pool, work);

  /** Runs `work` in a savepoint: a failure undoes only its own writes, is logged, and the pass goes on. */
  async function isolated(db: Queryable, what: object, work: () => Promise<void>): Promise<boolean> {
    const done = await inSavepoint(db, 'schedule_item', work);
    if (done.ok) return true;
    logger.warn({ err: done.error, ...what }, 'schedule not handled; it is tried again at the next pass');
    return false;
  }

  async function sync(now: Date): Promise<number> {
    return inTransaction(async (db) => {
      if (!(await trySyncLock(db))) return 0;
      const workflows = await unsyncedWorkflows(db, MAX_SYNC_PER_PASS);
      let synced = 0;
      for (const workflow of workflows) {
        if (await isolated(db, { workflow: workflow.name }, () => syncWorkflowSchedules(db, workflow, now, logger))) synced += 1;
      }
      return synced;
    });
  }

  /** Handles one due schedule inside the claiming transaction. */
  async function fire(db: Queryable, schedule: ScheduleRow, now: Date, report: SchedulerReport): Promise<void> {
    const ticks = compileCron(schedule.cron, schedule.timezone);
    const plan = planTicks(ticks, schedule.nextFireAt, now, { ...DEFAULT_PLAN_OPTIONS, graceMs: options.graceMs });
    let lastExecutionId = schedule.lastExecutionId;
    let lastTick: Date | null = null;
    const run = { tenantId: schedule.tenantId, scheduleId: schedule.id };

    const startRun = async (tick: Date, count: number): Promise<TickResult> => {
      if (schedule.overlap === 'skip' && lastExecutionId) {
        const status = await executionStatus(db, lastExecutionId);
        if (status && !isTerminalExecutionStatus(status)) {
          report.skipped += 1;
          await recordScheduleRun(db, { ...run, tickAt: tick, status: 'skipped', ticks: count, executionId: lastExecutionId });
          return { outcome: 'skipped', executionId: lastExecutionId };
        }
      }
      const tickIso = tick.toISOString();
      try {
        const { executionId } = await engine.start({
          tenantId: schedule.tenantId,
          workflow: schedule.workflowName,
          context: schedule.input,
          idempotencyKey: `schedule:${schedule.workflowId}:${schedule.name}:${tickIso}`,
          triggerType: 'schedule',
          triggerSource: `${schedule.name}@${tickIso}`,
          priority: schedule.priority,
        });
        lastExecutionId = executionId;
        report.started += 1;
        deps.observer?.scheduleFired({ workflow: schedule.workflowName, seconds: (clock.now().getTime() - tick.getTime()) / 1000 });
        await recordScheduleRun(db, { ...run, tickAt: tick, status: 'started', ticks: count, executionId });
        return { outcome: 'started', executionId };
      } catch (error) {
        // Transient: this schedule's writes roll back and the tick is tried again at the next pass.
        if (!isPermanentError(error)) throw error;
        report.failed += 1;
        logger.warn({ err: error, workflow: schedule.workflowName, schedule: schedule.name, tick: tickIso }, 'scheduled start failed');
        const recorded = toRecordedError(error);
        await recordScheduleRun(db, { ...run, tickAt: tick, status: 'failed', ticks: count, error: recorded });
        return { outcome: 'failed', code: recorded.code };
      }
    };
    const startAt = async (tick: Date, count: number): Promise<void> => {
      lastTick = tick;
      const traced = { workflow: schedule.workflowName, schedule: schedule.name, tenantId: schedule.tenantId, tickAt: tick };
      await (deps.tracer ? deps.tracer.scheduleTick(traced, () => startRun(tick, count)) : startRun(tick, count));
    };

    const caughtUp = catchUpRun(schedule.catchUp, plan.missed);
    if (plan.missed && caughtUp) {
      await startAt(caughtUp, plan.missed.count);
    } else if (plan.missed) {
      lastTick = plan.missed.latest;
      report.missed += plan.missed.count;
      await recordScheduleRun(db, { ...run, tickAt: plan.missed.latest, status: 'missed', ticks: plan.missed.count });
    }
    for (const tick of plan.onTime) await startAt(tick, 1);
    await advanceSchedule(db, schedule.id, plan.next, lastTick, lastExecutionId);
  }

  /** Handles a batch of due schedules; how many were claimed and how many handled. */
  async function fireDue(now: Date, report: SchedulerReport): Promise<{ claimed: number; handled: number }> {
    return inTransaction(async (db) => {
      const due = await claimDueSchedules(db, now, options.batchSize);
      let handled = 0;
      for (const schedule of due) {
        const what = { workflow: schedule.workflowName, schedule: schedule.name };
        if (await isolated(db, what, () => fire(db, schedule, now, report))) handled += 1;
      }
      return { claimed: due.length, handled };
    });
  }

  async function runSystemSchedules(now: Date, report: SchedulerReport): Promise<void> {
    if (systemSchedules.length === 0) return;
    if (!systemRowsEnsured) {
      await inTransaction(async (db) => {
        for (const schedule of systemSchedules) {
          await ensureSystemSchedule(db, { ...schedule, next: compileCron(schedule.cron, schedule.timezone).after(now) });
        }
      });
      systemRowsEnsured = true;
    }
    await inTransaction(async (db) => {
      const due = await claimDueSystemSchedules(
        db,
        systemSchedules.map((schedule) => schedule.name),
        now,
      );
      for (const row of due) {
        const schedule = systemSchedules.find((candidate) => candidate.name === row.name);
        if (!schedule) continue;
        const { tracer } = deps;
        const fire = async (traceParent: string | undefined): Promise<JsonObject> => {
          const result = await schedule.run(db, { now, ...(traceParent ? { traceParent } : {}) });
          await advanceSystemSchedule(db, schedule.name, compileCron(schedule.cron, schedule.timezone).after(now), now, result);
          return result;
        };
        const result = tracer
          ? await tracer.systemTick({ schedule: schedule.name, tickAt: row.nextFireAt }, () => fire(tracer.traceParent()))
          : await fire(undefined);
        report.system.push(schedule.name);
        logger.info({ schedule: schedule.name, result }, 'system schedule ran');
      }
    });
  }

  async function runOnce(): Promise<SchedulerReport> {
    const now = clock.now();
    const report: SchedulerReport = { synced: 0, started: 0, skipped: 0, missed: 0, failed: 0, system: [] };
    report.synced = await sync(now);
    for (;;) {
      const { claimed, handled } = await fireDue(now, report);
      // A full batch all handled: more may be due. (Failing ones stay due; the next pass retries them.)
      if (claimed < options.batchSize || handled < claimed) break;
    }
    await runSystemSchedules(now, report);
    return report;
  }

  // ── the loop ─────────────────────────────────────────────────────────────────────────────────────
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  let lastFailure: string | undefined;

  function tick(): void {
    if (stopped || running) return;
    running = runOnce()
      .then(
        () => {
          lastFailure = undefined;
        },
        (error: unknown) => {
          lastFailure = coerceError(error).message;
          logger.warn({ err: error }, 'scheduler pass failed');
        },
      )
      .finally(() => {
        running = undefined;
      });
  }

  return {
    runOnce,
    health: () => healthAfter(lastFailure),
    start() {
      if (timer || stopped) return;
      timer = setInterval(tick, options.pollIntervalMs);
      tick();
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
