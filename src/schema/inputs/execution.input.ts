import { Field, InputType } from 'type-graphql';
import type { ExecutionStatus, TriggerType } from '../../entities/statuses.js';
import { JSONObjectScalar } from '../scalars/index.js';
import { ExecutionStatusEnum, TriggerTypeEnum } from '../types/execution.type.js';

@InputType('ExecutionFilter', { description: 'Every condition given must hold.' })
export class ExecutionFilterInput {
  @Field(() => String, { nullable: true, description: "A workflow's name." })
  workflow?: string | null;

  @Field(() => [ExecutionStatusEnum], { nullable: true, description: 'Any of these statuses.' })
  status?: ExecutionStatus[] | null;

  @Field(() => [TriggerTypeEnum], { nullable: true, description: 'Any of these triggers.' })
  trigger?: TriggerType[] | null;

  @Field(() => Date, { nullable: true, description: 'Started at or after (runs not started yet do not match).' })
  startedAfter?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Started before.' })
  startedBefore?: Date | null;

  @Field(() => JSONObjectScalar, { nullable: true, description: 'JSON containment: runs whose context contains this object, e.g. `{ "customer": { "id": "c-1" } }`.' })
  contextMatch?: Record<string, unknown> | null;
}

@InputType('ExecutionsChangedFilter')
export class ExecutionsChangedFilterInput {
  @Field(() => String, { nullable: true, description: "A workflow's name." })
  workflow?: string | null;

  @Field(() => [ExecutionStatusEnum], { nullable: true, description: 'Changes that leave a run in any of these statuses.' })
  status?: ExecutionStatus[] | null;
}
