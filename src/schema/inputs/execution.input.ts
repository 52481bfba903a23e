import { Field, ID, InputType } from 'type-graphql';
import type { RecordType } from '../../entities/record-lineage.entity.js';
import type { ExecutionStatus, TriggerType } from '../../entities/statuses.js';
import { JSONObjectScalar } from '../scalars/index.js';
import { ExecutionStatusEnum, TriggerTypeEnum } from '../types/execution.type.js';
import { RecordTypeEnum } from '../types/lineage.type.js';

@InputType('RecordRef', { description: 'A domain record: its type and id (an allocation’s serviceId).' })
export class RecordRefInput {
  @Field(() => RecordTypeEnum)
  type!: RecordType;

  @Field(() => ID)
  id!: string;
}

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

  @Field(() => JSONObjectScalar, {
    nullable: true,
    description: 'JSON containment: runs whose context contains this object, e.g. `{ "customer": { "id": "c-1" } }`.',
  })
  contextMatch?: Record<string, unknown> | null;

  @Field(() => RecordRefInput, { nullable: true, description: 'Runs one of whose steps created or changed this record.' })
  touching?: RecordRefInput | null;
}

@InputType('ExecutionsChangedFilter')
export class ExecutionsChangedFilterInput {
  @Field(() => ID, {
    nullable: true,
    description: "One run's changes: a finished run's page hears of a retry or rerun made elsewhere (then follows executionProgress).",
  })
  executionId?: string | null;

  @Field(() => String, { nullable: true, description: "A workflow's name." })
  workflow?: string | null;

  @Field(() => [ExecutionStatusEnum], { nullable: true, description: 'Changes that leave a run in any of these statuses.' })
  status?: ExecutionStatus[] | null;
}
