import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { LINT_CODES, type LintCode } from '../../engine/index.js';
import type { StepType } from '../../engine/definition/step-types.js';
import type { ExecutionStatus, StepStatus } from '../../entities/statuses.js';
import { JSONScalar } from '../scalars/index.js';
import { ExecutionErrorType, ExecutionStatusEnum, StepStatusEnum, StepTypeEnum, enumOf } from './execution.type.js';
import { ValidationIssueType } from './execution-workflow.type.js';
import { ResolvedParameterType, StepDecisionType } from './step-why.type.js';

export const LintCodeEnum = enumOf(LINT_CODES);
registerEnumType(LintCodeEnum, {
  name: 'LintCode',
  description:
    'UNREACHABLE_STEP (a constant when or condition rules it out), OUTPUT_NEVER_USED (a transform or read whose output nothing reads, given a workflow output), EXTERNAL_CALL_WITHOUT_RETRY, WAIT_WITHOUT_TIMEOUT (an event wait or approval that may wait for ever); from the dry run itself: INVALID_PARAMS (a service call’s resolved params its method refuses: the step fails VALIDATION, as in a run), MOCK_OUTPUT_MISMATCH (a mocked answer without what the method declares it answers).',
});

@ObjectType('LintDiagnostic')
export class LintDiagnosticType {
  @Field(() => LintCodeEnum)
  code!: LintCode;

  @Field()
  step!: string;

  @Field()
  message!: string;
}

@ObjectType('SimulatedCall', {
  description: 'A call a step would make: `service.method`, `workflow.<name>`, `event.<name>` or `approval.<step>`.',
})
export class SimulatedCallType {
  @Field()
  step!: string;

  @Field()
  call!: string;

  @Field({ description: 'A mock answered it; otherwise it answered null (and was reported, never made).' })
  mocked!: boolean;
}

@ObjectType('SimulatedStep')
export class SimulatedStepType {
  @Field()
  step!: string;

  @Field(() => StepTypeEnum)
  type!: StepType;

  @Field(() => StepStatusEnum)
  status!: StepStatus;

  @Field(() => JSONScalar, { nullable: true, description: 'Secrets redacted.' })
  output!: unknown;

  @Field(() => ExecutionErrorType, { nullable: true })
  error!: ExecutionErrorType | null;

  @Field(() => [ResolvedParameterType])
  resolvedParameters!: ResolvedParameterType[];

  @Field(() => [StepDecisionType])
  decisions!: StepDecisionType[];

  @Field(() => SimulatedCallType, { nullable: true })
  call!: SimulatedCallType | null;
}

@ObjectType('Simulation', { description: 'A dry run: nothing persisted, no service called.' })
export class SimulationType {
  @Field({ description: 'The definition passed validation; when false only `issues` (and `diagnostics`: none) are given.' })
  valid!: boolean;

  @Field(() => [ValidationIssueType])
  issues!: ValidationIssueType[];

  @Field(() => ExecutionStatusEnum, { nullable: true, description: 'COMPLETED or FAILED.' })
  status!: ExecutionStatus | null;

  @Field(() => [String], { description: 'The steps that ran, in the order they started.' })
  path!: string[];

  @Field(() => [SimulatedStepType], { description: 'Every step, in the order recorded (the skipped ones with why).' })
  steps!: SimulatedStepType[];

  @Field(() => [SimulatedCallType], { description: 'Calls no mock answered: reported, never made.' })
  unmockedCalls!: SimulatedCallType[];

  @Field(() => [String], { description: 'Steps a compensation would undo (a critical step failed).' })
  compensated!: string[];

  @Field(() => JSONScalar, { nullable: true, description: 'The result a completed run would have (secrets redacted).' })
  result!: unknown;

  @Field(() => ExecutionErrorType, { nullable: true })
  error!: ExecutionErrorType | null;

  @Field(() => [LintDiagnosticType])
  diagnostics!: LintDiagnosticType[];
}
