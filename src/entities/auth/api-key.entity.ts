import { randomUUID } from 'node:crypto';
import { Entity, Index, ManyToOne, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import { Tenant } from '../tenant.entity.js';

/**
 * An integration's credential, scoped to one tenant and a subset of permissions. The key is shown once;
 * only the SHA-256 of its secret part is kept, found by its public prefix.
 */
@Entity({ tableName: 'api_keys' })
export class ApiKey {
  @PrimaryKey({ type: 'uuid' })
  id: string & Opt = randomUUID();

  @ManyToOne(() => Tenant, { ref: true, fieldName: 'tenant_id' })
  @Index()
  tenant!: Ref<Tenant>;

  @Property({ type: 'text' })
  name!: string;

  /** The public part of the key (`sy_<prefix>_…`), unique: how a presented key is looked up. */
  @Property({ type: 'text', unique: true })
  prefix!: string;

  /** Hex SHA-256 of the secret part. */
  @Property({ type: 'text', hidden: true })
  secretHash!: string;

  @Property({ type: 'text[]' })
  permissions!: string[];

  /** `user:<id>`, `api-key:<id>`, or `activation:<id>` (business_activation's first key of a business). */
  @Property({ type: 'text' })
  createdBy!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();

  /** Updated at most once a minute, so busy keys do not write on every request. */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  lastUsedAt?: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  revokedAt?: Date;
}
