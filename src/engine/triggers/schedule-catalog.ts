import { AppError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { compileCron } from '../definition/cron.js';
import type { Clock } from '../ports.js';
import { transactionQueryable, type Queryable } from '../../infra/queryable.js';
import {
  lockSchedulesOf,
  runsOf,
  scheduledWorkflow,
  schedulesOf,
  setPaused,
  syncLock,
  unsyncedWorkflows,
  type ScheduleRow,
  type ScheduleRunRow,
} from '../store/schedule-store.js';
import type { CallerTransaction } from '../store/transactions.js';
import { inSync, syncWorkflowSchedules } from './schedule-sync.js';

/**
 * Schedules as the API sees them: listed with their next ticks, paused and resumed. Reads bring the
 * workflow's rows up to date with its current definition first (as the scheduler would at its next
 * pass), so a schedule saved a moment ago can be seen and paused at once. Runs in the caller's
 * transaction (`CallerTransaction`) — the request's tenant transaction.
 */

export type ScheduleRecord = ScheduleRow;
export type ScheduleRunRecord = ScheduleRunRow;

export const MAX_UPCOMING = 50;
export const MAX_RUNS = 100;
/** Workflows a tenant-wide list brings up to date at once; the scheduler's own pass takes care of any more. */
const MAX_SYNC_PER_LIST = 100;

export interface ScheduleCatalog {
  /** NOT_FOUND when the tenant has no such workflow. */
  list(em: CallerTransaction, tenantId: string, workflow: string): Promise<ScheduleRecord[]>;
  /** Every schedule of the tenant, by workflow name and name. */
  listAll(em: CallerTransaction, tenantId: string): Promise<ScheduleRecord[]>;
  /** Stops firing until resumed. Idempotent. */
  pause(em: CallerTransaction, tenantId: string, workflow: string, name: string): Promise<ScheduleRecord>;
  /** Fires again from the next tick after now (ticks that passed while paused are not caught up). Idempotent. */
  resume(em: CallerTransaction, tenantId: string, workflow: string, name: string): Promise<ScheduleRecord>;
  /** When it fires next: nothing while paused or while its workflow is deactivated. */
  nextFireAt(schedule: ScheduleRecord): Date | null;
  /** The next `count` ticks (at most MAX_UPCOMING) of a schedule whose next tick is `nextFireAt` (none: null). */
  upcoming(schedule: { cron: string; timezone: string; nextFireAt: Date | null }, count: number): Date[];
  /** The latest runs of each schedule, newest first. */
  runs(em: CallerTransaction, tenantId: string, scheduleIds: readonly string[], limit: number): Promise<ScheduleRunRecord[]>;
}

export function createScheduleCatalog(deps: { clock: Clock; logger: Logger }): ScheduleCatalog {
  const { clock, logger } = deps;

  async function synced(db: Queryable, tenantId: string, workflowName: string): Promise<{ workflowId: string }> {
    const workflow = await scheduledWorkflow(db, tenantId, workflowName);
    if (!workflow) throw new AppError('NOT_FOUND', `no workflow named "${workflowName}"`);
    if (!inSync(workflow, await schedulesOf(db, tenantId, workflow.id))) {
      await syncLock(db);
      await syncWorkflowSchedules(db, workflow, clock.now(), logger);
    }
    return { workflowId: workflow.id };
  }

  async function pauseOrResume(
    em: CallerTransaction,
    tenantId: string,
    workflowName: string,
    name: string,
    paused: boolean,
  ): Promise<ScheduleRecord> {
    const db = transactionQueryable(em);
    const { workflowId } = await synced(db, tenantId, workflowName);
    const current = (await lockSchedulesOf(db, workflowId)).find((row) => row.name === name);
    if (!current) throw new AppError('NOT_FOUND', `workflow "${workflowName}" has no schedule named "${name}"`);
    const resumeAt = paused ? undefined : compileCron(current.cron, current.timezone).after(clock.now());
    const changed = await setPaused(db, tenantId, workflowId, name, paused, resumeAt);
    if (!changed) throw new AppError('NOT_FOUND', `workflow "${workflowName}" has no schedule named "${name}"`);
    return changed;
  }

  function nextFireAt(schedule: ScheduleRecord): Date | null {
    return schedule.paused || !schedule.workflowActive ? null : schedule.nextFireAt;
  }

  return {
    async list(em, tenantId, workflowName) {
      const db = transactionQueryable(em);
      const { workflowId } = await synced(db, tenantId, workflowName);
      return schedulesOf(db, tenantId, workflowId);
    },
    async listAll(em, tenantId) {
      const db = transactionQueryable(em);
      const unsynced = await unsyncedWorkflows(db, MAX_SYNC_PER_LIST, tenantId);
      if (unsynced.length > 0) {
        await syncLock(db);
        for (const workflow of unsynced) await syncWorkflowSchedules(db, workflow, clock.now(), logger);
      }
      return schedulesOf(db, tenantId);
    },
    pause: (em, tenantId, workflow, name) => pauseOrResume(em, tenantId, workflow, name, true),
    resume: (em, tenantId, workflow, name) => pauseOrResume(em, tenantId, workflow, name, false),
    nextFireAt,
    upcoming(schedule, count) {
      const next = schedule.nextFireAt;
      if (!next || count < 1) return [];
      const wanted = Math.min(count, MAX_UPCOMING);
      const cron = compileCron(schedule.cron, schedule.timezone);
      // A tick overdue (no scheduler running) is not shown as upcoming: what follows now is.
      const now = clock.now();
      const first = next >= now ? next : cron.after(now);
      return [first, ...cron.upcoming(first, wanted - 1)];
    },
    runs(em, tenantId, scheduleIds, limit) {
      return runsOf(transactionQueryable(em), tenantId, scheduleIds, Math.min(Math.max(limit, 1), MAX_RUNS));
    },
  };
}
