import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { EXECUTION_COMMANDS, type ExecutionCommand } from '../../engine/index.js';
import { enumOf } from './execution.type.js';

export const ExecutionActionEnum = enumOf(EXECUTION_COMMANDS);
registerEnumType(ExecutionActionEnum, {
  name: 'ExecutionAction',
  description:
    'The operator commands: cancelExecution, pauseExecution, resumeExecution, retryExecution (from the failed step), rerunExecution.',
});

@ObjectType('AvailableAction', { description: 'Whether you may do this to the run now, and why not.' })
export class AvailableActionType {
  @Field(() => ExecutionActionEnum)
  action!: ExecutionCommand;

  @Field({ description: 'The mutation would be accepted now (a run changes: the answer holds at the moment it was read).' })
  allowed!: boolean;

  @Field(() => String, {
    nullable: true,
    description:
      "Why not: the permission you lack (`missing permission execution:cancel`), or what the run's state refuses (`it is completed`).",
  })
  reason!: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "The error code the mutation would answer when not allowed: FORBIDDEN (a permission you lack: a client need not offer it) or INVALID_STATE (the run's state).",
  })
  code!: 'FORBIDDEN' | 'INVALID_STATE' | null;
}
