import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLSafeInt } from 'graphql-scalars';
import { TASK_STATUSES, type TaskStatus } from '../../../entities/domain/follow-up-task.entity.js';
import { OPPORTUNITY_STAGES, type OpportunityStage } from '../../../entities/domain/opportunity.entity.js';
import { enumOf } from './enums.js';

export const OpportunityStageEnum = enumOf<OpportunityStage>(OPPORTUNITY_STAGES);
registerEnumType(OpportunityStageEnum, {
  name: 'OpportunityStage',
  description: 'PROSPECT (10 %) → QUALIFICATION (25 %) → PROPOSAL (50 %) → NEGOTIATION (75 %) → CLOSED_WON (100 %) or CLOSED_LOST (0 %).',
});

export const TaskStatusEnum = enumOf<TaskStatus>(TASK_STATUSES);
registerEnumType(TaskStatusEnum, { name: 'TaskStatus', description: 'A follow-up task is OPEN until its owner is done with it.' });

@ObjectType('Opportunity', {
  description:
    'A deal from a converted lead, moved through the pipeline: PROSPECT → QUALIFICATION → PROPOSAL → NEGOTIATION → CLOSED_WON | CLOSED_LOST.',
})
export class OpportunityType {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  leadId!: string;

  @Field(() => ID)
  customerId!: string;

  @Field()
  name!: string;

  @Field(() => GraphQLSafeInt, { description: 'Minor units, before tax.' })
  amount!: number;

  @Field()
  currency!: string;

  @Field({ description: 'The tax region its invoice is raised for.' })
  region!: string;

  @Field({ description: "The owner's e-mail: follow-up tasks go to them." })
  owner!: string;

  @Field(() => OpportunityStageEnum)
  stage!: OpportunityStage;

  @Field(() => Int, { description: "The stage's probability, percent." })
  probability!: number;

  @Field()
  createdAt!: Date;

  @Field()
  stageChangedAt!: Date;

  @Field(() => Date, { nullable: true })
  closedAt!: Date | null;
}

@ObjectType('PipelineStage', { description: 'The opportunities at one stage, in one currency.' })
export class PipelineStageType {
  @Field(() => OpportunityStageEnum)
  stage!: OpportunityStage;

  @Field()
  currency!: string;

  @Field(() => Int)
  count!: number;

  @Field(() => GraphQLSafeInt, { description: 'Their amounts, summed (minor units).' })
  amount!: number;

  @Field(() => GraphQLSafeInt, { description: 'Each amount times its probability, summed (minor units, rounded down).' })
  weightedAmount!: number;
}

@ObjectType('FollowUpTask', { description: "A task for an opportunity's owner, made when the opportunity waited too long." })
export class FollowUpTaskType {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  opportunityId!: string;

  @Field()
  owner!: string;

  @Field()
  title!: string;

  @Field(() => TaskStatusEnum)
  status!: TaskStatus;

  @Field()
  dueAt!: Date;

  @Field()
  createdAt!: Date;
}

@InputType('ConvertLeadInput')
export class ConvertLeadInput {
  @Field(() => String, { nullable: true, description: "Default: the lead's company, else its name." })
  name?: string | null;

  @Field(() => GraphQLSafeInt, { description: 'The deal before tax, in minor units.' })
  amount!: number;

  @Field()
  currency!: string;

  @Field({ description: 'The tax region (`DE`, `AU`, `US-CA`…) its invoice will carry.' })
  region!: string;

  @Field({ description: "The owner's e-mail." })
  owner!: string;
}
