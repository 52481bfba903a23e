import { Entity, Enum, Index, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import type { JsonValue } from './json.js';

export const APPROVAL_STATUSES = ['pending', 'approved', 'rejected', 'timed_out'] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];
export const APPROVAL_DECISIONS = ['approve', 'reject'] as const;
export type ApprovalDecisionKind = (typeof APPROVAL_DECISIONS)[number];

/**
 * What an `approval` step asks of people, opened when the step first runs (its templates resolved then):
 * who may decide, what they are shown, how many approvals it needs, until when. A retry from the step
 * deletes it (and its decisions), so the step asks again.
 */
@Entity({ tableName: 'approval_requests' })
@Index({
  name: 'approval_requests_pending_index',
  expression: `create index "approval_requests_pending_index" on "approval_requests" ("tenant_id", "created_at") where "status" = 'pending'`,
})
export class ApprovalRequest {
  @PrimaryKey({ type: 'uuid' })
  executionId!: string;

  @PrimaryKey({ type: 'text' })
  stepKey!: string;

  @Property({ type: 'uuid' })
  tenantId!: string;

  @Property({ type: 'text' })
  prompt!: string;

  @Property({ type: 'json', columnType: 'jsonb', nullable: true })
  data?: JsonValue;

  @Property({ type: 'text[]' })
  approverRoles!: string[];

  @Property({ type: 'text', nullable: true })
  approverPermission?: string;

  /** E-mails (lower-cased) or user ids. */
  @Property({ type: 'text[]' })
  approverUsers!: string[];

  @Property({ type: 'integer' })
  required!: number;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  expiresAt?: Date;

  @Enum({ items: () => [...APPROVAL_STATUSES], type: 'text' })
  status: ApprovalStatus & Opt = 'pending';

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  decidedAt?: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();
}

/** One person's decision on one request: at most one each (the key says so). */
@Entity({ tableName: 'approval_decisions' })
export class ApprovalDecision {
  @PrimaryKey({ type: 'uuid' })
  executionId!: string;

  @PrimaryKey({ type: 'text' })
  stepKey!: string;

  @PrimaryKey({ type: 'uuid' })
  userId!: string;

  @Property({ type: 'uuid' })
  tenantId!: string;

  /** The e-mail the user had when deciding. */
  @Property({ type: 'text' })
  userEmail!: string;

  @Enum({ items: () => [...APPROVAL_DECISIONS], type: 'text' })
  decision!: ApprovalDecisionKind;

  @Property({ type: 'text', nullable: true })
  comment?: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  decidedAt!: Date;
}
