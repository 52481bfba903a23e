import { Entity, Index, ManyToOne, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import { Tenant } from '../tenant.entity.js';

export const AUDIT_ACTOR_KINDS = ['user', 'apiKey', 'anonymous'] as const;
export type AuditActorKind = (typeof AUDIT_ACTOR_KINDS)[number];

/**
 * One change made through the API, or one refused: who (a user or API key, with the name it had then),
 * what operation on which target, in which request, and its outcome (`ok` or the error code). Rows are
 * only ever inserted; the database refuses UPDATE, DELETE and TRUNCATE (a trigger).
 */
@Entity({ tableName: 'audit_log' })
@Index({ name: 'audit_log_tenant_id_index', properties: ['tenant', 'id'] })
export class AuditRecord {
  /** Increasing: the order records were written in, newest last; the cursor of `auditLog`. */
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string & Opt;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  at!: Date;

  /** Null for what belongs to no tenant (a refused sign-in of an unknown e-mail). */
  @ManyToOne(() => Tenant, { ref: true, fieldName: 'tenant_id', nullable: true, createForeignKeyConstraint: false })
  tenant?: Ref<Tenant> | null;

  @Property({ type: 'text' })
  actorKind!: AuditActorKind;

  @Property({ type: 'text', nullable: true })
  actorId?: string | null;

  @Property({ type: 'text' })
  actorName!: string;

  @Property({ type: 'text' })
  operation!: string;

  @Property({ type: 'text', nullable: true })
  targetType?: string | null;

  @Property({ type: 'text', nullable: true })
  targetId?: string | null;

  @Property({ type: 'text', nullable: true })
  requestId?: string | null;

  /** `ok`, or the error code the operation ended with. */
  @Property({ type: 'text' })
  outcome!: string;

  /** The workflow version it is about: the one a definition change made, or a run started, retried or reran on. */
  @Property({ type: 'uuid', nullable: true })
  workflowId?: string | null;

  @Property({ type: 'integer', nullable: true })
  workflowVersion?: number | null;
}
