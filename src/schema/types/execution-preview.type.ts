import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { STEP_EFFECTS, STEP_FATES, type StepEffect, type StepFate } from '../../engine/index.js';
import type { StepType } from '../../engine/definition/step-types.js';
import type { StepStatus } from '../../entities/statuses.js';
import { JSONObjectScalar } from '../scalars/index.js';
import { ExecutionActionEnum } from './execution-action.type.js';
import { enumOf, StepStatusEnum, StepTypeEnum } from './execution.type.js';

export const StepFateEnum = enumOf(STEP_FATES);
registerEnumType(StepFateEnum, {
  name: 'StepFate',
  description: 'What a retry or rerun does with a step.',
  valuesConfig: {
    REPLAY: { description: 'Completed: its recorded output is reused; it does not run.' },
    KEEP: { description: 'Recorded as skipped (or, on a retry, failed and not critical) and left so.' },
    RESUME: { description: 'A retry: recorded as running or pending and not reset; looked at again where it was.' },
    RUN_AGAIN: { description: 'Recorded, and forgotten: it runs again when the run reaches it.' },
    RUN: { description: 'Never recorded: it runs for the first time when the run reaches it.' },
  },
});

export const StepEffectEnum = enumOf(STEP_EFFECTS);
registerEnumType(StepEffectEnum, {
  name: 'StepEffect',
  description: 'What running a step does beyond the run’s own record.',
  valuesConfig: {
    NONE: { description: 'Nothing outside the run (transform, condition, wait, parallel, a read).' },
    DATABASE: { description: "Rows in Switchyard's database, committed with the step's checkpoint." },
    EXTERNAL: { description: 'Calls a system outside the database (Kubernetes, GenieACS, Stripe, NetBox…).' },
    SUB_WORKFLOW: { description: 'Starts a child run, with whatever effects it has.' },
    APPROVAL: { description: 'Asks people to decide (again).' },
  },
});

@ObjectType('StepPreview', { description: 'One step of the workflow and what the command would do with it.' })
export class StepPreviewType {
  @Field()
  step!: string;

  @Field(() => StepTypeEnum)
  type!: StepType;

  @Field(() => StepStatusEnum, { nullable: true, description: 'As recorded in the run now; null when it never started.' })
  recordedStatus!: StepStatus | null;

  @Field(() => StepFateEnum)
  fate!: StepFate;

  @Field({ description: 'A compensation undid it: running again redoes its effect.' })
  compensated!: boolean;

  @Field(() => StepEffectEnum)
  effect!: StepEffect;

  @Field(() => String, { nullable: true, description: "A service call's `service.method`." })
  service!: string | null;
}

@ObjectType('ExecutionPreview', {
  description:
    'What retryExecution or rerunExecution would do, decided by the plan the command itself carries out. Nothing is changed; the run may change before you act.',
})
export class ExecutionPreviewType {
  @Field(() => ID)
  executionId!: string;

  @Field(() => ExecutionActionEnum, { description: 'RETRY or RERUN.' })
  action!: 'retry' | 'rerun';

  @Field({ description: 'The step the run goes on from (a retry without fromStep: the one that failed).' })
  fromStep!: string;

  @Field(() => [String], {
    description: 'The recorded steps the command forgets (a retry records the same list in its `execution.retried` event).',
  })
  reset!: string[];

  @Field(() => [StepPreviewType], { description: 'Every step of the definition, in order (nested steps after their container).' })
  steps!: StepPreviewType[];

  @Field(() => [String], { description: 'Steps whose recorded output is reused (fate REPLAY).' })
  replayed!: string[];

  @Field(() => [String], { description: 'Recorded steps that run again (fate RUN_AGAIN).' })
  runAgain!: string[];

  @Field(() => [String], { description: 'Of those, the ones a compensation undid: their effects are redone.' })
  redone!: string[];

  @Field(() => [StepPreviewType], {
    description: 'Of the steps that run again, those whose effects leave the database (EXTERNAL, SUB_WORKFLOW): they would happen again.',
  })
  externalEffects!: StepPreviewType[];

  @Field(() => JSONObjectScalar, { nullable: true, description: 'A rerun: the context the new run starts with (secrets redacted).' })
  context!: Record<string, unknown> | null;
}
