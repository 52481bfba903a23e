import DataLoader from 'dataloader';
import { Arg, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Audited } from '../auth/audit/audited.js';
import { Requires } from '../auth/auth-checker.js';
import { inTenantTransaction } from '../auth/tenant-scope.js';
import { requireViewer } from '../auth/viewer.js';
import type { RequestContext } from '../context.js';
import type { ScheduleRecord, ScheduleRunRecord } from '../engine/index.js';
import { AppError } from '../errors.js';
import { ScheduleRunType, ScheduleType } from '../schema/types/schedule.type.js';

const MAX_NEXT_FIRE_TIMES = 50;
const MAX_RUNS = 100;

function toScheduleType(record: ScheduleRecord, ctx: RequestContext): ScheduleType {
  return {
    id: record.id,
    workflow: record.workflowName,
    name: record.name,
    cron: record.cron,
    timezone: record.timezone,
    input: record.input,
    catchUp: record.catchUp,
    overlap: record.overlap,
    priority: record.priority,
    paused: record.paused,
    nextFireAt: ctx.engine.schedules.nextFireAt(record),
    lastFiredAt: record.lastFiredAt,
    lastExecutionId: record.lastExecutionId,
  };
}

function toRunType(record: ScheduleRunRecord): ScheduleRunType {
  return {
    tickAt: record.tickAt,
    status: record.status,
    ticks: record.ticks,
    executionId: record.executionId,
    error: record.error,
    at: record.createdAt,
  };
}

interface RunsKey {
  scheduleId: string;
  first: number;
}

const runLoaders = new WeakMap<RequestContext, DataLoader<RunsKey, ScheduleRunRecord[], string>>();

/** The runs of every schedule a response shows, one statement per distinct `first`. */
function runsLoader(ctx: RequestContext): DataLoader<RunsKey, ScheduleRunRecord[], string> {
  let loader = runLoaders.get(ctx);
  if (!loader) {
    const tenantId = requireViewer(ctx.viewer).tenantId;
    loader = new DataLoader(
      async (keys) => {
        const results = new Map<string, ScheduleRunRecord[]>();
        for (const first of new Set(keys.map((key) => key.first))) {
          const ids = keys.filter((key) => key.first === first).map((key) => key.scheduleId);
          const rows = await inTenantTransaction(ctx.em, tenantId, (em) => ctx.engine.schedules.runs(em, tenantId, ids, first));
          for (const id of ids)
            results.set(
              `${id}:${first}`,
              rows.filter((row) => row.scheduleId === id),
            );
        }
        return keys.map((key) => results.get(`${key.scheduleId}:${key.first}`) ?? []);
      },
      { cacheKeyFn: (key) => `${key.scheduleId}:${key.first}` },
    );
    runLoaders.set(ctx, loader);
  }
  return loader;
}

@Resolver(() => ScheduleType)
export class ScheduleResolver {
  @Requires('workflow:view')
  @Query(() => [ScheduleType], {
    description:
      "A workflow's cron schedules, by name (NOT_FOUND when there is no such workflow); without `workflow`, every schedule of your tenant, by workflow and name.",
  })
  async schedules(
    @Arg('workflow', () => String, { nullable: true, description: "The workflow's name." }) workflow: string | null | undefined,
    @Ctx() ctx: RequestContext,
  ): Promise<ScheduleType[]> {
    const tenantId = requireViewer(ctx.viewer).tenantId;
    const records = await inTenantTransaction(ctx.em, tenantId, (em) =>
      workflow === null || workflow === undefined
        ? ctx.engine.schedules.listAll(em, tenantId)
        : ctx.engine.schedules.list(em, tenantId, workflow),
    );
    return records.map((record) => toScheduleType(record, ctx));
  }

  @Requires('schedule:manage')
  @Audited({ operation: 'schedule.pause', targetType: 'schedule', targetArg: 'name' })
  @Mutation(() => ScheduleType, { description: 'Stops a schedule firing until it is resumed. Idempotent.' })
  async pauseSchedule(@Arg('workflow') workflow: string, @Arg('name') name: string, @Ctx() ctx: RequestContext): Promise<ScheduleType> {
    const tenantId = requireViewer(ctx.viewer).tenantId;
    return toScheduleType(
      await inTenantTransaction(ctx.em, tenantId, (em) => ctx.engine.schedules.pause(em, tenantId, workflow, name)),
      ctx,
    );
  }

  @Requires('schedule:manage')
  @Audited({ operation: 'schedule.resume', targetType: 'schedule', targetArg: 'name' })
  @Mutation(() => ScheduleType, {
    description: 'Fires a paused schedule again from its next tick; ticks that passed while paused are not caught up. Idempotent.',
  })
  async resumeSchedule(@Arg('workflow') workflow: string, @Arg('name') name: string, @Ctx() ctx: RequestContext): Promise<ScheduleType> {
    const tenantId = requireViewer(ctx.viewer).tenantId;
    return toScheduleType(
      await inTenantTransaction(ctx.em, tenantId, (em) => ctx.engine.schedules.resume(em, tenantId, workflow, name)),
      ctx,
    );
  }

  @FieldResolver(() => [Date], { description: 'The next ticks, soonest first; empty while paused or while the workflow is deactivated.' })
  nextFireTimes(
    @Root() schedule: ScheduleType,
    @Arg('count', () => Int, { defaultValue: 5, description: `At most ${MAX_NEXT_FIRE_TIMES}.` }) count: number,
    @Ctx() ctx: RequestContext,
  ): Date[] {
    if (count < 0 || count > MAX_NEXT_FIRE_TIMES) throw new AppError('BAD_USER_INPUT', `count must be from 0 to ${MAX_NEXT_FIRE_TIMES}`);
    return ctx.engine.schedules.upcoming(schedule, count);
  }

  @Requires('workflow:view')
  @FieldResolver(() => [ScheduleRunType], { description: 'What the latest ticks did, newest first.' })
  async runs(
    @Root() schedule: ScheduleType,
    @Arg('first', () => Int, { defaultValue: 10, description: `At most ${MAX_RUNS}.` }) first: number,
    @Ctx() ctx: RequestContext,
  ): Promise<ScheduleRunType[]> {
    if (first < 1 || first > MAX_RUNS) throw new AppError('BAD_USER_INPUT', `first must be from 1 to ${MAX_RUNS}`);
    return (await runsLoader(ctx).load({ scheduleId: schedule.id, first })).map(toRunType);
  }
}
