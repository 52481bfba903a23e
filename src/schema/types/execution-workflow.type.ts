import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { JSONObjectScalar } from '../scalars/index.js';
import { WorkflowType } from './workflow.type.js';
import { PageInfoType } from './execution.type.js';

/** Workflow types of the API beyond `Workflow` itself: lists, versions, statistics, validation. */

@ObjectType('WorkflowEdge')
export class WorkflowEdgeType {
  @Field()
  cursor!: string;

  @Field(() => WorkflowType)
  node!: WorkflowType;
}

@ObjectType('WorkflowConnection', { description: 'Workflows by name.' })
export class WorkflowConnectionType {
  @Field(() => [WorkflowEdgeType])
  edges!: WorkflowEdgeType[];

  @Field(() => [WorkflowType])
  nodes!: WorkflowType[];

  @Field(() => PageInfoType)
  pageInfo!: PageInfoType;
}

@ObjectType('WorkflowVersion', { description: 'An immutable definition of a workflow; each execution is pinned to one.' })
export class WorkflowVersionType {
  @Field(() => ID)
  workflowId!: string;

  @Field(() => Int)
  version!: number;

  @Field(() => String, { nullable: true, description: 'Its label as its author gave it (`version` when saving), if any.' })
  label!: string | null;

  @Field(() => JSONObjectScalar)
  definition!: Record<string, unknown>;

  @Field({ description: 'The version new executions start on.' })
  current!: boolean;

  @Field()
  createdAt!: Date;
}

@ObjectType('StepFailureCount')
export class StepFailureCountType {
  @Field({ description: 'The step key.' })
  step!: string;

  @Field(() => Int, { description: 'Runs in which the step ended failed.' })
  failures!: number;
}

@ObjectType('WorkflowStats', { description: "A workflow's executions, counted in SQL; optionally those created within a window." })
export class WorkflowStatsType {
  @Field(() => Int)
  total!: number;

  @Field(() => Int, { description: 'COMPLETED runs.' })
  successful!: number;

  @Field(() => Int)
  failed!: number;

  @Field(() => Int)
  cancelled!: number;

  @Field(() => Int, { description: 'Runs in progress: PENDING, RUNNING, WAITING or PAUSED.' })
  running!: number;

  @Field(() => Int, { description: 'Runs QUEUED by a concurrency limit, waiting for a slot.' })
  queued!: number;

  @Field(() => Float, { nullable: true, description: 'successful / (successful + failed + cancelled); null while none has finished.' })
  successRate!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Mean completedAt − startedAt of the finished runs (completed, failed or cancelled).',
  })
  averageDurationMs!: number | null;

  @Field(() => Float, { nullable: true, description: '95th percentile (continuous) of the same durations.' })
  p95DurationMs!: number | null;

  @Field(() => [StepFailureCountType], { description: 'Steps that failed, most failures first.' })
  stepFailures!: StepFailureCountType[];
}

@ObjectType('ValidationIssue', { description: 'A problem of a definition: where (a JSON path such as `$.steps[2].params.x`) and what.' })
export class ValidationIssueType {
  @Field()
  path!: string;

  @Field()
  message!: string;
}

@ObjectType('WorkflowValidation')
export class WorkflowValidationType {
  @Field()
  valid!: boolean;

  @Field(() => [ValidationIssueType])
  issues!: ValidationIssueType[];
}
