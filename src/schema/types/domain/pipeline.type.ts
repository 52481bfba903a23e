import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { GraphQLSafeInt } from 'graphql-scalars';

@ObjectType('Opportunity', { description: 'A deal from a converted lead, moved through the pipeline: prospect → qualification → proposal → negotiation → closed_won | closed_lost.' })
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

  @Field({ description: 'prospect, qualification, proposal, negotiation, closed_won or closed_lost.' })
  stage!: string;

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
  @Field()
  stage!: string;

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

  @Field({ description: 'open or done.' })
  status!: string;

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
