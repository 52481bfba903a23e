import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { APPROVAL_CHANGES, type ApprovalChange } from '../../engine/index.js';
import { APPROVAL_DECISIONS, APPROVAL_STATUSES, type ApprovalDecisionKind, type ApprovalStatus } from '../../entities/approval.entity.js';
import type { UserRole } from '../../entities/statuses.js';
import { JSONScalar } from '../scalars/index.js';
import { UserRoleEnum } from './auth.type.js';
import { enumOf, PageInfoType } from './execution.type.js';

export const ApprovalStatusEnum = enumOf(APPROVAL_STATUSES);
registerEnumType(ApprovalStatusEnum, {
  name: 'ApprovalStatus',
  description: 'PENDING until enough approvals (APPROVED), a rejection (REJECTED) or the deadline (TIMED_OUT).',
});

export const ApprovalDecisionEnum = enumOf(APPROVAL_DECISIONS);
registerEnumType(ApprovalDecisionEnum, { name: 'ApprovalDecisionKind' });

export const ApprovalChangeEnum = enumOf(APPROVAL_CHANGES);
registerEnumType(ApprovalChangeEnum, {
  name: 'ApprovalChangeKind',
  description:
    'OPENED (the step asks), DECIDED (a decision that did not close it: fewer than `required` approvals so far), APPROVED, REJECTED, TIMED_OUT.',
});

@ObjectType('ApprovalApprovers', {
  description: 'Who may decide: a user of one of these roles, whose role grants `permission`, or named here.',
})
export class ApprovalApproversType {
  @Field(() => [UserRoleEnum])
  roles!: UserRole[];

  @Field(() => String, { nullable: true })
  permission!: string | null;

  @Field(() => [String], { description: 'E-mails (lower-cased) or user ids, templates resolved.' })
  users!: string[];
}

@ObjectType('ApprovalDecision', { description: "One person's decision." })
export class ApprovalDecisionType {
  @Field({ description: 'The e-mail of who decided, as it was then.' })
  by!: string;

  @Field(() => ID)
  userId!: string;

  @Field(() => ApprovalDecisionEnum)
  decision!: ApprovalDecisionKind;

  @Field(() => String, { nullable: true })
  comment!: string | null;

  @Field()
  at!: Date;
}

@ObjectType('ApprovalRequest', { description: 'What an `approval` step asks of people, and what they decided.' })
export class ApprovalRequestType {
  @Field(() => ID)
  executionId!: string;

  @Field({ description: "The approval step's name." })
  step!: string;

  @Field({ description: 'The prompt, its templates resolved when the step opened the request.' })
  prompt!: string;

  @Field(() => JSONScalar, { nullable: true, description: 'The data to show, templates resolved.' })
  data!: unknown;

  @Field(() => ApprovalApproversType)
  approvers!: ApprovalApproversType;

  @Field(() => Int, { description: 'Approvals needed (N of M).' })
  required!: number;

  @Field(() => Int, { description: 'Approvals so far.' })
  approvals!: number;

  @Field(() => ApprovalStatusEnum)
  status!: ApprovalStatus;

  @Field(() => Date, { nullable: true, description: 'After this, the step does what its `onTimeout` says.' })
  expiresAt!: Date | null;

  @Field()
  openedAt!: Date;

  @Field(() => Date, { nullable: true })
  decidedAt!: Date | null;

  @Field(() => [ApprovalDecisionType])
  decisions!: ApprovalDecisionType[];
}

@ObjectType('ApprovalRequestEdge')
export class ApprovalRequestEdgeType {
  @Field()
  cursor!: string;

  @Field(() => ApprovalRequestType)
  node!: ApprovalRequestType;
}

@ObjectType('ApprovalRequestConnection', { description: 'Approval requests, oldest first.' })
export class ApprovalRequestConnectionType {
  @Field(() => [ApprovalRequestEdgeType])
  edges!: ApprovalRequestEdgeType[];

  @Field(() => [ApprovalRequestType])
  nodes!: ApprovalRequestType[];

  @Field(() => PageInfoType)
  pageInfo!: PageInfoType;
}

@ObjectType('ApprovalChange', { description: 'A request you may decide opened, gained a decision, or closed.' })
export class ApprovalChangeType {
  @Field(() => ApprovalChangeEnum)
  change!: ApprovalChange;

  @Field(() => ID)
  executionId!: string;

  @Field()
  step!: string;

  @Field()
  at!: Date;
}
