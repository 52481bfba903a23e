import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { JSONScalar } from '../scalars/index.js';
import { enumOf } from './execution.type.js';

export const STEP_DECISION_KINDS = ['when', 'condition'] as const;
export type StepDecisionKind = (typeof STEP_DECISION_KINDS)[number];
export const StepDecisionKindEnum = enumOf(STEP_DECISION_KINDS);
registerEnumType(StepDecisionKindEnum, {
  name: 'StepDecisionKind',
  description:
    "WHEN: the step's `when` guard (false: the step was skipped). CONDITION: a condition step's expression, which picked its branch.",
});

@ObjectType('StepDecision', { description: 'Why a step went the way it did: the expression, what it evaluated to, and the outcome.' })
export class StepDecisionType {
  @Field(() => StepDecisionKindEnum)
  kind!: StepDecisionKind;

  @Field({ description: 'The JSONata expression as written in the definition.' })
  expression!: string;

  @Field(() => JSONScalar, {
    nullable: true,
    description:
      'What it evaluated to (a large value is described by its size; one that names a secret-like key is "[redacted]"); null when not recorded.',
  })
  value!: unknown;

  @Field({ description: 'Its truthiness: the step ran (WHEN) or took `then` (CONDITION).' })
  result!: boolean;

  @Field(() => String, { nullable: true, description: 'A condition: `then` or `else`.' })
  branch!: string | null;
}

@ObjectType('ResolvedParameter', {
  description: 'A templated string of the step’s definition beside the value it resolved to in this run.',
})
export class ResolvedParameterType {
  @Field({ description: 'Where in the step: `$.params.customer_id`, `$.input.plan`, `$.output.total`.' })
  path!: string;

  @Field({ description: 'As written, `${…}` included.' })
  template!: string;

  @Field(() => JSONScalar, {
    nullable: true,
    description: 'What it resolved to (secrets redacted); null when not recorded (the step has not run).',
  })
  value!: unknown;
}
