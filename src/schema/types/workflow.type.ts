import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { WORKFLOW_CHANGES, type WorkflowChangeKind } from '../../engine/topics.js';
import { JSONObjectScalar } from '../scalars/index.js';

@ObjectType('Workflow', { description: 'A named, versioned workflow definition.' })
export class WorkflowType {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field()
  description!: string;

  @Field(() => Int, { description: 'The version new executions start on.' })
  version!: number;

  @Field(() => String, {
    nullable: true,
    description:
      'That version\'s label as its author gave it (`version: "1.0.0"` when saving); executions are pinned to the integer `version`.',
  })
  versionLabel!: string | null;

  @Field(() => JSONObjectScalar, { description: 'The JSON definition of this version: `{ "steps": [...] }`.' })
  definition!: Record<string, unknown>;

  @Field({ description: 'Inactive workflows keep their history but start no new executions.' })
  active!: boolean;

  @Field(() => [String])
  tags!: string[];

  @Field()
  createdAt!: Date;

  @Field()
  updatedAt!: Date;
}

export const WorkflowChange = Object.fromEntries(WORKFLOW_CHANGES.map((change) => [change.toUpperCase(), change])) as {
  [K in WorkflowChangeKind as Uppercase<K>]: K;
};
registerEnumType(WorkflowChange, { name: 'WorkflowChange', description: 'What happened to a workflow.' });

@ObjectType('WorkflowChangedEvent', { description: 'A workflow was created, got a new version, or was deactivated.' })
export class WorkflowChangedEventType {
  @Field(() => ID)
  workflowId!: string;

  @Field()
  name!: string;

  @Field(() => Int)
  version!: number;

  @Field(() => WorkflowChange)
  change!: WorkflowChangeKind;

  @Field()
  at!: Date;
}
