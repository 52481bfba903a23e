import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { SCHEDULE_RUN_STATUSES, type ScheduleRunStatus } from '../../entities/schedule-run.entity.js';
import { SCHEDULE_CATCH_UP, SCHEDULE_OVERLAP, type ScheduleCatchUp, type ScheduleOverlap } from '../../engine/definition/step-types.js';
import { JSONObjectScalar } from '../scalars/index.js';

const enumOf = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((value) => [value.toUpperCase(), value])) as Record<string, T>;

export const ScheduleCatchUpEnum = enumOf(SCHEDULE_CATCH_UP);
registerEnumType(ScheduleCatchUpEnum, {
  name: 'ScheduleCatchUp',
  description: 'Ticks that passed while no scheduler ran: SKIP them, or run ONCE for all of them.',
});

export const ScheduleOverlapEnum = enumOf(SCHEDULE_OVERLAP);
registerEnumType(ScheduleOverlapEnum, {
  name: 'ScheduleOverlap',
  description: "When the schedule's previous run is still going at a tick: ALLOW another, or SKIP the tick.",
});

export const ScheduleRunStatusEnum = enumOf(SCHEDULE_RUN_STATUSES);
registerEnumType(ScheduleRunStatusEnum, {
  name: 'ScheduleRunStatus',
  description: 'STARTED an execution; SKIPPED (the previous run was still going); MISSED (passed while no scheduler ran); FAILED to start.',
});

@ObjectType('Schedule', { description: "One of a workflow's cron schedules, from its current definition." })
export class ScheduleType {
  @Field(() => ID)
  id!: string;

  @Field({ description: "The workflow's name." })
  workflow!: string;

  @Field()
  name!: string;

  @Field({ description: 'Five fields (minute hour day-of-month month day-of-week) or six (seconds first).' })
  cron!: string;

  @Field({ description: 'IANA time zone the cron is read in.' })
  timezone!: string;

  @Field(() => JSONObjectScalar, { description: 'The context of each run.' })
  input!: Record<string, unknown>;

  @Field(() => ScheduleCatchUpEnum)
  catchUp!: ScheduleCatchUp;

  @Field(() => ScheduleOverlapEnum)
  overlap!: ScheduleOverlap;

  @Field(() => Int, { description: 'The priority of the runs it starts, among runs queued by a concurrency limit (higher first).' })
  priority!: number;

  @Field()
  paused!: boolean;

  @Field(() => Date, { nullable: true, description: 'The next tick; null while paused or while the workflow is deactivated.' })
  nextFireAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'The last tick handled.' })
  lastFiredAt!: Date | null;

  @Field(() => ID, { nullable: true, description: 'The execution the last fired tick started.' })
  lastExecutionId!: string | null;
}

@ObjectType('ScheduleRun', { description: 'What a schedule did at one tick.' })
export class ScheduleRunType {
  @Field()
  tickAt!: Date;

  @Field(() => ScheduleRunStatusEnum)
  status!: ScheduleRunStatus;

  @Field(() => Int, { description: 'How many ticks this stands for: more than 1 when missed ticks were caught up or dropped together.' })
  ticks!: number;

  @Field(() => ID, { nullable: true })
  executionId!: string | null;

  @Field(() => JSONObjectScalar, { nullable: true, description: 'Why it failed: `{ code, message, retryable }`.' })
  error!: Record<string, unknown> | null;

  @Field()
  at!: Date;
}
