import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { STEP_TYPES, type StepType } from '../../engine/definition/step-types.js';
import {
  EXECUTION_STATUSES,
  STEP_STATUSES,
  TRIGGER_TYPES,
  type ExecutionStatus,
  type StepStatus,
  type TriggerType,
} from '../../entities/statuses.js';
import { JSONObjectScalar, JSONScalar } from '../scalars/index.js';

/** `sub_workflow` travels as SUB_WORKFLOW. */
export const enumOf = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((value) => [value.toUpperCase(), value])) as Record<string, T>;

export const ExecutionStatusEnum = enumOf(Object.keys(EXECUTION_STATUSES) as ExecutionStatus[]);
registerEnumType(ExecutionStatusEnum, {
  name: 'ExecutionStatus',
  description:
    'QUEUED (held back by a concurrency limit, holding no worker, until a slot frees), PENDING, RUNNING, WAITING (parked on a timer, an event, an approval or a sub-workflow) and PAUSED go on; COMPLETED, FAILED and CANCELLED are final. All but QUEUED and the final ones hold a concurrency slot.',
});

export const StepStatusEnum = enumOf(Object.keys(STEP_STATUSES) as StepStatus[]);
registerEnumType(StepStatusEnum, { name: 'StepStatus', description: 'A step waiting for a retry is PENDING (see `nextAttemptAt`).' });

export const StepTypeEnum = enumOf(STEP_TYPES);
registerEnumType(StepTypeEnum, { name: 'StepType' });

export const TriggerTypeEnum = enumOf(TRIGGER_TYPES);
registerEnumType(TriggerTypeEnum, { name: 'TriggerType', description: 'What started an execution.' });

@ObjectType('PageInfo')
export class PageInfoType {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Pass as `after` for the next page; null on an empty page.' })
  endCursor!: string | null;
}

@ObjectType('ExecutionError', { description: 'A typed failure, as recorded on a step or an execution.' })
export class ExecutionErrorType {
  @Field({ description: 'SCREAMING_SNAKE code, e.g. VALIDATION, TIMEOUT, EXTERNAL_UNAVAILABLE.' })
  code!: string;

  @Field()
  message!: string;

  @Field({ description: 'Whether trying again may succeed.' })
  retryable!: boolean;

  @Field(() => String, { nullable: true, description: "On an execution's error: the step that failed it, when known." })
  step!: string | null;

  @Field(() => JSONScalar, { nullable: true })
  details!: unknown;
}

@ObjectType('StepCompensation', {
  description: "The compensation of a step, once it ran (a later critical step's failure undid this one).",
})
export class StepCompensationType {
  @Field({ description: '`completed` or `failed`.' })
  status!: string;

  @Field(() => ExecutionErrorType, { nullable: true })
  error!: ExecutionErrorType | null;

  @Field(() => Date, { nullable: true })
  at!: Date | null;
}

@ObjectType('ExecutionStep', { description: 'A step of an execution, as checkpointed.' })
export class ExecutionStepType {
  @Field(() => ID, {
    description:
      "`<executionId>:<key>`: the step of this run, the same in `Execution.steps` and an event's `step` (for a normalised client cache).",
  })
  id!: string;

  @Field(() => ID, { description: 'The run it belongs to.' })
  executionId!: string;

  @Field({ description: 'Unique within the execution (the step name).' })
  key!: string;

  @Field()
  name!: string;

  @Field(() => StepTypeEnum)
  type!: StepType;

  @Field(() => StepStatusEnum)
  status!: StepStatus;

  @Field(() => Int, { description: 'Order in which the steps first started.' })
  sequence!: number;

  @Field(() => JSONScalar, { nullable: true, description: "The step's resolved parameters (templates filled in)." })
  input!: unknown;

  @Field(() => JSONScalar, { nullable: true })
  output!: unknown;

  @Field(() => ExecutionErrorType, { nullable: true, description: 'The last failure (also while a retry is pending).' })
  error!: ExecutionErrorType | null;

  @Field(() => Int, { description: 'Attempts made, the first included.' })
  attempts!: number;

  @Field(() => Date, { nullable: true })
  startedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  completedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When a failed attempt will be retried.' })
  nextAttemptAt!: Date | null;

  @Field(() => Float, { nullable: true, description: 'completedAt − startedAt, once both are known.' })
  durationMs!: number | null;

  @Field(() => StepCompensationType, { nullable: true })
  compensation!: StepCompensationType | null;
}

@ObjectType('ExecutionTrigger')
export class ExecutionTriggerType {
  @Field(() => TriggerTypeEnum)
  type!: TriggerType;

  @Field(() => String, {
    nullable: true,
    description:
      '`user:<id>` or `api-key:<id>` for API starts; the parent execution for sub-workflows and reruns; the event or schedule otherwise.',
  })
  source!: string | null;
}

@ObjectType('ExecutionConcurrency', {
  description: "The concurrency group a run belongs to, from its workflow's `concurrency { limit, key }`.",
})
export class ExecutionConcurrencyType {
  @Field(() => String, { nullable: true, description: "The key's value for this run; null when the limit is for the whole workflow." })
  key!: string | null;

  @Field(() => Int, { description: 'At most this many runs of the group in progress at once.' })
  limit!: number;
}

/** One run of one workflow version. `workflow`, `steps` and `events` are resolved through DataLoaders. */
@ObjectType('Execution', { description: 'One run of one workflow version.' })
export class ExecutionType {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  workflowId!: string;

  @Field(() => Int, { description: 'The workflow version this run is pinned to.' })
  workflowVersion!: number;

  @Field(() => ExecutionStatusEnum)
  status!: ExecutionStatus;

  /**
   * The run's context and result as read (secrets not yet redacted), when the read had them: a list reads
   * neither (`Execution.context` and `Execution.result` then load them by id, when asked).
   */
  stored?: { context: Record<string, unknown>; result: unknown };

  /**
   * Its workflow's name as an executions page read it, when the list shows no more of the workflow
   * than its id and name (execution-selection.ts): `Execution.workflow` then answers from it.
   */
  workflowName?: string | null;

  @Field(() => ExecutionErrorType, { nullable: true, description: 'Why a run failed.' })
  error!: ExecutionErrorType | null;

  @Field(() => ExecutionTriggerType)
  trigger!: ExecutionTriggerType;

  @Field(() => String, { nullable: true })
  idempotencyKey!: string | null;

  @Field(() => ID, { nullable: true, description: "A sub-workflow's run: the execution waiting for it." })
  parentExecutionId!: string | null;

  @Field(() => String, { nullable: true })
  parentStepKey!: string | null;

  @Field({ description: 'Cancellation asked for; the run stops at its next step boundary.' })
  cancelRequested!: boolean;

  @Field({ description: 'A pause asked for; the run parks at its next step boundary.' })
  pauseRequested!: boolean;

  @Field(() => Int, { description: 'Among queued runs, a higher priority starts first (then the earlier created).' })
  priority!: number;

  @Field(() => ExecutionConcurrencyType, {
    nullable: true,
    description: 'Its concurrency group, when its workflow has a concurrency limit.',
  })
  concurrency!: ExecutionConcurrencyType | null;

  @Field(() => Int, { description: 'The sequence number of the last event in the log: resume `executionProgress` after it.' })
  lastSequence!: number;

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  startedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  completedAt!: Date | null;

  @Field()
  updatedAt!: Date;

  @Field(() => Float, { nullable: true, description: 'completedAt − startedAt of a finished run.' })
  durationMs!: number | null;
}

@ObjectType('ExecutionEdge')
export class ExecutionEdgeType {
  @Field()
  cursor!: string;

  @Field(() => ExecutionType)
  node!: ExecutionType;
}

@ObjectType('ExecutionConnection', { description: 'Executions, newest first.' })
export class ExecutionConnectionType {
  @Field(() => [ExecutionEdgeType])
  edges!: ExecutionEdgeType[];

  @Field(() => [ExecutionType])
  nodes!: ExecutionType[];

  @Field(() => PageInfoType)
  pageInfo!: PageInfoType;
}

@ObjectType('ExecutionEvent', { description: "An entry of an execution's event log, numbered from 1 without gaps." })
export class ExecutionEventType {
  @Field(() => ID)
  executionId!: string;

  @Field(() => Int)
  sequence!: number;

  @Field({ description: '`execution.started`, `step.completed`, `step.retrying`, `compensation.completed`, `execution.failed`, …' })
  type!: string;

  @Field(() => String, { nullable: true })
  stepKey!: string | null;

  @Field(() => JSONObjectScalar)
  payload!: Record<string, unknown>;

  @Field()
  at!: Date;

  // `execution` and `step` (as they are now) are resolved by ProgressResolver.
}

@ObjectType('ExecutionEventPage')
export class ExecutionEventPageType {
  @Field(() => [ExecutionEventType])
  nodes!: ExecutionEventType[];

  @Field({ description: 'More events follow: ask again with `after` set to the last node’s sequence.' })
  hasNextPage!: boolean;
}

@ObjectType('ExecutionChange', { description: 'A run of your tenant changed status: created, started, parked, resumed or finished.' })
export class ExecutionChangeType {
  @Field(() => ID)
  executionId!: string;

  @Field(() => Int)
  sequence!: number;

  @Field({ description: 'The event: `execution.created`, `execution.started`, `execution.completed`, …' })
  type!: string;

  @Field(() => ExecutionStatusEnum, { description: 'The status this change left the run in.' })
  status!: ExecutionStatus;

  @Field()
  at!: Date;
}

@ObjectType('ExecutionStart')
export class ExecutionStartType {
  @Field({ description: 'False when the idempotency key had already started this execution.' })
  created!: boolean;

  @Field(() => ExecutionType)
  execution!: ExecutionType;
}
