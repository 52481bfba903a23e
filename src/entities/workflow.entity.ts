import { randomUUID } from 'node:crypto';
import { Collection, Entity, ManyToOne, OneToMany, PrimaryKey, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { Tenant } from './tenant.entity.js';
import { WorkflowVersion } from './workflow-version.entity.js';

/** A named workflow of one tenant. Its definitions live in versions; `currentVersion` is the one new runs use. */
@Entity({ tableName: 'workflows' })
@Unique({ properties: ['tenant', 'name'] })
export class Workflow {
  @PrimaryKey({ type: 'uuid' })
  id: string & Opt = randomUUID();

  @ManyToOne(() => Tenant, { ref: true, fieldName: 'tenant_id' })
  tenant!: Ref<Tenant>;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text' })
  description: string & Opt = '';

  @Property({ type: 'integer' })
  currentVersion: number & Opt = 1;

  @Property({ type: 'boolean' })
  active: boolean & Opt = true;

  @Property({ type: 'text[]' })
  tags: string[] & Opt = [];

  @OneToMany(() => WorkflowVersion, (version) => version.workflow)
  versions = new Collection<WorkflowVersion>(this);

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date & Opt = new Date();
}
