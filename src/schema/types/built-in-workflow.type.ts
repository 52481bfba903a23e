import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { BuiltInState } from '../../workflows/built-in-status.js';

export const BuiltInStateEnum = {
  CURRENT: 'current',
  OUTDATED: 'outdated',
  EDITED: 'edited',
  TENANTS_OWN: 'tenants_own',
  NEWER: 'newer',
} as const satisfies Record<string, BuiltInState>;
registerEnumType(BuiltInStateEnum, {
  name: 'BuiltInState',
  description: "Where a workflow of a built-in's name stands against this release's built-in.",
  valuesConfig: {
    CURRENT: { description: "It holds this release's revision, as given." },
    OUTDATED: { description: 'It holds an older revision, unedited: the next start of the server gives it this one.' },
    EDITED: {
      description: 'A version of your own was saved since the built-in was given: kept; restoreBuiltInWorkflow takes the built-in back.',
    },
    TENANTS_OWN: { description: 'No built-in was ever given under this name: the workflow is your own.' },
    NEWER: { description: 'It holds a later revision than this server knows (an older server during a rolling upgrade).' },
  },
});

@ObjectType('BuiltInWorkflowStatus', {
  description: "A workflow that bears a built-in's name: which revision it holds, and this release's.",
})
export class BuiltInWorkflowStatusType {
  @Field(() => Int, { description: "This release's revision of the built-in." })
  revision!: number;

  @Field(() => Int, { nullable: true, description: 'The revision your tenant was given; null when none was.' })
  heldRevision!: number | null;

  @Field(() => Int, { nullable: true, description: 'The version of the workflow that revision was given as.' })
  givenVersion!: number | null;

  @Field(() => BuiltInStateEnum)
  state!: BuiltInState;
}
