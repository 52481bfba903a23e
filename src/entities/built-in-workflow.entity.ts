import { Entity, ManyToOne, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { Tenant } from './tenant.entity.js';

/**
 * Which revision of a built-in workflow a tenant was given, and as which version of its workflow
 * (src/workflows/seed.ts). A workflow whose current version is no longer that one was edited by the
 * tenant: a newer built-in is then left for them to take, never written over their edit. Revision 1
 * stands for whatever was seeded before revisions were kept (the migration that made this table).
 */
@Entity({ tableName: 'built_in_workflows' })
export class BuiltInWorkflowRecord {
  @ManyToOne(() => Tenant, { ref: true, fieldName: 'tenant_id', primary: true, deleteRule: 'cascade' })
  tenant!: Ref<Tenant>;

  @PrimaryKey({ type: 'text' })
  name!: string;

  @Property({ type: 'integer' })
  revision!: number;

  /** The workflow's version that holds that revision's definition. */
  @Property({ type: 'integer' })
  version!: number;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  recordedAt!: Date;
}
