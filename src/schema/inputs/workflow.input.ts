import { Field, InputType } from 'type-graphql';
import { JSONObjectScalar } from '../scalars/index.js';

@InputType('WorkflowFilter', { description: 'Every condition given must hold.' })
export class WorkflowFilterInput {
  @Field(() => Boolean, { nullable: true })
  active?: boolean | null;

  @Field(() => [String], { nullable: true, description: 'Workflows carrying every one of these tags.' })
  tags?: string[] | null;

  @Field(() => String, { nullable: true, description: 'Case-insensitive part of the name.' })
  nameContains?: string | null;
}

@InputType('TimeWindow', { description: 'Executions created in [from, to); either bound may be left out.' })
export class TimeWindowInput {
  @Field(() => Date, { nullable: true })
  from?: Date | null;

  @Field(() => Date, { nullable: true })
  to?: Date | null;
}

@InputType('CreateWorkflowInput')
export class CreateWorkflowInput {
  @Field()
  name!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => JSONObjectScalar, { description: '`{ "steps": [...] }`, validated before anything is saved.' })
  definition!: Record<string, unknown>;

  @Field(() => String, {
    nullable: true,
    description:
      'A label for this version, as the seeds write it (`"1.0.0"`): kept as `versionLabel`. Executions are pinned to the integer `version`.',
  })
  version?: string | null;

  @Field(() => [String], { nullable: true })
  tags?: string[] | null;
}

@InputType('UpdateWorkflowInput')
export class UpdateWorkflowInput {
  @Field({ description: 'The workflow to give a new version.' })
  name!: string;

  @Field(() => JSONObjectScalar, {
    description: 'A changed definition becomes a new version; the same one changes only description and tags.',
  })
  definition!: Record<string, unknown>;

  @Field(() => String, { nullable: true, description: 'Left out: unchanged.' })
  description?: string | null;

  @Field(() => [String], { nullable: true, description: 'Left out: unchanged.' })
  tags?: string[] | null;

  @Field(() => String, {
    nullable: true,
    description:
      'A label for the version this saves (`"1.1.0"`); with the same definition it relabels the current version. Left out: a new version has none.',
  })
  version?: string | null;
}
