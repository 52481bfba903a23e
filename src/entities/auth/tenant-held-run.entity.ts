import { Entity, Index, PrimaryKey, Property, type Opt } from '@mikro-orm/core';

/**
 * A run paused because its tenant was suspended (and not paused before by anyone): lifting the
 * suspension resumes exactly these, leaving a run someone had paused themselves paused. Written and
 * deleted with the tenant's suspension, in the same transaction (src/engine/store/tenant-store.ts).
 */
@Entity({ tableName: 'tenant_held_runs' })
export class TenantHeldRun {
  @PrimaryKey({ type: 'uuid' })
  executionId!: string;

  @Index({ name: 'tenant_held_runs_tenant_id_index' })
  @Property({ type: 'uuid' })
  tenantId!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  heldAt: Date & Opt = new Date();
}
