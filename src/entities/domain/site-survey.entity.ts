import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import { Customer } from '../customer.entity.js';
import { Tenant } from '../tenant.entity.js';

export const SITE_SURVEY_STATUSES = ['scheduled', 'completed', 'cancelled'] as const;
export type SiteSurveyStatus = (typeof SITE_SURVEY_STATUSES)[number];

/** A survey of a customer's premises before an installation: where, how good the signal, what to install. */
@Entity({ tableName: 'site_surveys' })
@Index({ properties: ['tenant', 'customer', 'completedAt'] })
export class SiteSurvey {
  @PrimaryKey({ type: 'uuid' })
  id: string & Opt = randomUUID();

  @ManyToOne(() => Tenant, { ref: true, fieldName: 'tenant_id' })
  tenant!: Ref<Tenant>;

  @ManyToOne(() => Customer, { ref: true, fieldName: 'customer_id' })
  customer!: Ref<Customer>;

  @Enum({ items: () => [...SITE_SURVEY_STATUSES], type: 'text' })
  status: SiteSurveyStatus & Opt = 'scheduled';

  @Property({ type: 'text' })
  address!: string;

  @Property({ type: 'double', runtimeType: 'number', nullable: true })
  latitude?: number;

  @Property({ type: 'double', runtimeType: 'number', nullable: true })
  longitude?: number;

  /** Received signal strength at the premises, in dBm. */
  @Property({ type: 'double', runtimeType: 'number', nullable: true })
  signalStrengthDbm?: number;

  /** A bandwidth profile such as `100M/20M` (download/upload). */
  @Property({ type: 'text', nullable: true })
  recommendedBandwidth?: string;

  @Property({ type: 'text', nullable: true })
  cpeSerial?: string;

  /** The point of presence that serves the premises: names the IP pools and VLAN ranges to use. */
  @Property({ type: 'text', nullable: true })
  serviceLocation?: string;

  @Property({ type: 'text', nullable: true })
  notes?: string;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  completedAt?: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();
}
