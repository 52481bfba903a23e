import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { AuditActorKind } from '../../entities/auth/audit-record.entity.js';
import { PageInfoType } from './execution.type.js';

export const AuditActorKindEnum = { USER: 'user', API_KEY: 'apiKey', ANONYMOUS: 'anonymous' } as const satisfies Record<
  string,
  AuditActorKind
>;
registerEnumType(AuditActorKindEnum, { name: 'AuditActorKind' });

@ObjectType('AuditActor', { description: 'Who did it: a user (named by e-mail) or an API key (by its name), as they were then.' })
export class AuditActorType {
  @Field(() => AuditActorKindEnum)
  kind!: AuditActorKind;

  @Field(() => ID, { nullable: true })
  id!: string | null;

  @Field()
  name!: string;
}

@ObjectType('AuditTarget')
export class AuditTargetType {
  @Field({ description: '`user`, `apiKey`, `workflow`, `session`…' })
  type!: string;

  @Field(() => ID, { nullable: true })
  id!: string | null;
}

@ObjectType('AuditWorkflowVersion', { description: 'A version of a workflow, as a record names it.' })
export class AuditWorkflowVersionType {
  @Field(() => ID)
  workflowId!: string;

  @Field(() => Int)
  version!: number;
}

@ObjectType('AuditRecord', { description: 'One change made through the API, or one refused. Never changed or deleted.' })
export class AuditRecordType {
  @Field(() => ID)
  id!: string;

  @Field()
  at!: Date;

  @Field(() => ID, {
    nullable: true,
    description: 'The tenant it belongs to; null for what belongs to none (a sign-in refused for an unknown e-mail).',
  })
  tenantId!: string | null;

  @Field(() => AuditActorType)
  actor!: AuditActorType;

  @Field({ description: '`user.create`, `apiKey.revoke`, `workflow.update`, `session.signIn`…' })
  operation!: string;

  @Field(() => AuditTargetType, { nullable: true })
  target!: AuditTargetType | null;

  @Field(() => String, { nullable: true })
  requestId!: string | null;

  @Field({ description: '`ok`, or the error code it ended with (FORBIDDEN, VALIDATION, UNAUTHENTICATED…).' })
  outcome!: string;

  @Field(() => AuditWorkflowVersionType, {
    nullable: true,
    description:
      'The workflow version it is about: the one a definition change made, or the one a run was started, commanded, retried or rerun on.',
  })
  workflowVersion!: AuditWorkflowVersionType | null;
}

@ObjectType('AuditLogConnection')
export class AuditLogConnectionType {
  @Field(() => [AuditRecordType])
  nodes!: AuditRecordType[];

  @Field(() => PageInfoType)
  pageInfo!: PageInfoType;
}

@InputType('AuditLogFilter')
export class AuditLogFilterInput {
  @Field(() => String, { nullable: true, description: "An actor's id, or its name (a user's e-mail, an API key's name)." })
  actor?: string | null;

  @Field(() => String, { nullable: true, description: 'e.g. `user.create`.' })
  operation?: string | null;

  @Field(() => String, { nullable: true, description: "A target's id." })
  target?: string | null;

  @Field(() => Date, { nullable: true, description: 'Inclusive.' })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Exclusive.' })
  to?: Date | null;

  @Field(() => ID, {
    nullable: true,
    description:
      "The platform admin's: another tenant's log (that tenant's records only). FORBIDDEN for anyone else naming a tenant not theirs.",
  })
  tenant?: string | null;
}
