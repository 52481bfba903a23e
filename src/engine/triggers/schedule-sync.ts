import type { JsonObject, JsonValue } from '../../entities/json.js';
import type { Logger } from '../../logger.js';
import { compileCron, DEFAULT_TIMEZONE, type CronTicks } from '../definition/cron.js';
import type { CronSchedule } from '../definition/step-types.js';
import type { Queryable } from '../../infra/queryable.js';
import {
  deleteSchedulesExcept,
  lockSchedulesOf,
  upsertSchedule,
  type ScheduledWorkflow,
  type ScheduleRow,
} from '../store/schedule-store.js';

/**
 * Mirrors a workflow's current `schedules` into workflow_schedules: new schedules get a row whose
 * next tick is the first after now; a changed cron or zone starts again from now; a changed input or
 * policy applies from the next tick; a removed schedule loses its row; a paused one stays paused. A
 * deactivated workflow keeps its rows but they do not fire, and on reactivation they start again from
 * now (what passed meanwhile is not "missed").
 */

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Saved definitions were validated; anything malformed here is skipped, not trusted. */
function asSchedules(raw: JsonValue): CronSchedule[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(
    (item) => isObject(item) && typeof item['name'] === 'string' && typeof item['cron'] === 'string',
  ) as unknown as CronSchedule[];
}

/** Whether the rows already mirror this version and activity (nothing to write). */
export function inSync(workflow: ScheduledWorkflow, rows: readonly ScheduleRow[]): boolean {
  const wanted = asSchedules(workflow.schedules).length;
  return rows.length === wanted && rows.every((row) => row.workflowVersion === workflow.version && row.workflowActive === workflow.active);
}

export async function syncWorkflowSchedules(db: Queryable, workflow: ScheduledWorkflow, now: Date, logger: Logger): Promise<void> {
  const existing = new Map((await lockSchedulesOf(db, workflow.id)).map((row) => [row.name, row]));
  const kept: string[] = [];
  for (const schedule of asSchedules(workflow.schedules)) {
    const timezone = schedule.timezone ?? DEFAULT_TIMEZONE;
    let ticks: CronTicks;
    try {
      ticks = compileCron(schedule.cron, timezone);
    } catch (error) {
      logger.warn({ err: error, workflow: workflow.name, schedule: schedule.name }, 'schedule not synced: its cron does not parse here');
      continue;
    }
    kept.push(schedule.name);
    const row = existing.get(schedule.name);
    const restart = !row || row.cron !== schedule.cron || row.timezone !== timezone || (workflow.active && !row.workflowActive);
    await upsertSchedule(db, {
      tenantId: workflow.tenantId,
      workflowId: workflow.id,
      name: schedule.name,
      cron: schedule.cron,
      timezone,
      input: schedule.input ?? {},
      catchUp: schedule.catchUp ?? 'skip',
      overlap: schedule.overlap ?? 'allow',
      priority: schedule.priority ?? 0,
      workflowVersion: workflow.version,
      workflowActive: workflow.active,
      nextFireAt: restart || !row ? ticks.after(now) : row.nextFireAt,
    });
  }
  await deleteSchedulesExcept(db, workflow.id, kept);
}
