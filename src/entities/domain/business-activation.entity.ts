import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import type { JsonObject } from '../json.js';
import { Tenant } from '../tenant.entity.js';

/** `provisioning` (the run is under way) → `active` (its result compiled), or `rolled_back` (a later step failed and it was undone). */
export const ACTIVATION_STATUSES = ['provisioning', 'active', 'rolled_back'] as const;
export type ActivationStatus = (typeof ACTIVATION_STATUSES)[number];

/**
 * A business activated by business_activation (seed 003 §1): the operator's record (`tenant`) of the
 * tenant it made for the business (`activatedTenant`). One per call key of the identity step, so a
 * retried or re-run step takes the same tenant up again instead of making a second one.
 */
@Entity({ tableName: 'business_activations' })
@Unique({ properties: ['tenant', 'idempotencyKey'] })
@Index({ properties: ['tenant', 'status'] })
export class BusinessActivation {
  @PrimaryKey({ type: 'uuid' })
  id: string & Opt = randomUUID();

  /** The operator's tenant, whose run made it. */
  @ManyToOne(() => Tenant, { ref: true, fieldName: 'tenant_id' })
  tenant!: Ref<Tenant>;

  @ManyToOne(() => Tenant, { ref: true, fieldName: 'activated_tenant_id', deleteRule: 'restrict' })
  activatedTenant!: Ref<Tenant>;

  @Property({ type: 'text' })
  idempotencyKey!: string;

  @Property({ type: 'text' })
  businessName!: string;

  @Property({ type: 'text' })
  industry!: string;

  @Property({ type: 'text' })
  region!: string;

  @Property({ type: 'text' })
  currency!: string;

  @Property({ type: 'text' })
  plan!: string;

  @Property({ type: 'text' })
  adminEmail!: string;

  /** The preset merged with the input's toggles (apply_industry_preset). */
  @Property({ type: 'json', columnType: 'jsonb', nullable: true })
  modules?: string[];

  @Enum({ items: () => [...ACTIVATION_STATUSES], type: 'text' })
  status: ActivationStatus & Opt = 'provisioning';

  /** The compiled result (endpoints, the admin's invitation, next steps), once active. */
  @Property({ type: 'json', columnType: 'jsonb', nullable: true })
  result?: JsonObject;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  activatedAt?: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  rolledBackAt?: Date;
}
