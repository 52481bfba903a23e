import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import type { JsonObject } from '../json.js';
import { Tenant } from '../tenant.entity.js';
import { BusinessActivation } from './business-activation.entity.js';

/** What an activation provisions, one row a resource, so that its undo knows what to remove. */
export const ACTIVATION_RESOURCE_KINDS = [
  'namespace',
  'network_policy',
  'resource_quota',
  'service_account',
  'role_binding',
  'database_schema',
  'cache_namespace',
  'bucket',
  'integration',
  'dns_record',
  'certificate',
  'copilot',
] as const;
export type ActivationResourceKind = (typeof ACTIVATION_RESOURCE_KINDS)[number];

export const ACTIVATION_RESOURCE_STATUSES = ['provisioned', 'removed'] as const;
export type ActivationResourceStatus = (typeof ACTIVATION_RESOURCE_STATUSES)[number];

/**
 * One resource of an activated business: a Kubernetes object, a data store, an integration, a DNS record,
 * a copilot. `provider` says who holds it (`kubernetes`, or `recorded` where no system is configured and
 * the row is the only trace: see docs/activation.md). A removal marks it `removed`; a retry provisions it again.
 */
@Entity({ tableName: 'activation_resources' })
@Unique({ properties: ['activation', 'kind', 'name'] })
@Index({ properties: ['tenant', 'activation'] })
export class ActivationResource {
  @PrimaryKey({ type: 'uuid' })
  id: string & Opt = randomUUID();

  @ManyToOne(() => Tenant, { ref: true, fieldName: 'tenant_id' })
  tenant!: Ref<Tenant>;

  @ManyToOne(() => BusinessActivation, { ref: true, fieldName: 'activation_id', deleteRule: 'cascade' })
  activation!: Ref<BusinessActivation>;

  @Enum({ items: () => [...ACTIVATION_RESOURCE_KINDS], type: 'text' })
  kind!: ActivationResourceKind;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text' })
  provider!: string;

  @Property({ type: 'json', columnType: 'jsonb' })
  details!: JsonObject;

  @Enum({ items: () => [...ACTIVATION_RESOURCE_STATUSES], type: 'text' })
  status: ActivationResourceStatus & Opt = 'provisioned';

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  removedAt?: Date;
}
