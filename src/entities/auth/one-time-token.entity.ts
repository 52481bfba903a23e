import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import { Tenant } from '../tenant.entity.js';
import { User } from '../user.entity.js';

export const ONE_TIME_TOKEN_PURPOSES = ['invitation', 'password_reset'] as const;
export type OneTimeTokenPurpose = (typeof ONE_TIME_TOKEN_PURPOSES)[number];

/**
 * An invitation or a password reset: the token itself exists only in the e-mail that carries it; here
 * its SHA-256, when it expires, and when it was used (once).
 */
@Entity({ tableName: 'one_time_tokens' })
export class OneTimeToken {
  @PrimaryKey({ type: 'uuid' })
  id: string & Opt = randomUUID();

  @ManyToOne(() => Tenant, { ref: true, fieldName: 'tenant_id' })
  @Index()
  tenant!: Ref<Tenant>;

  @ManyToOne(() => User, { ref: true, fieldName: 'user_id' })
  @Index()
  user!: Ref<User>;

  @Enum({ items: () => [...ONE_TIME_TOKEN_PURPOSES], type: 'text' })
  purpose!: OneTimeTokenPurpose;

  /** Hex SHA-256 of the token. */
  @Property({ type: 'text', unique: true, hidden: true })
  tokenHash!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  usedAt?: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt!: Date;
}
