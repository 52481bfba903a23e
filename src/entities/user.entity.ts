import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import { USER_ROLES, type UserRole } from './statuses.js';
import { Tenant } from './tenant.entity.js';

@Entity({ tableName: 'users' })
export class User {
  @PrimaryKey({ type: 'uuid' })
  id: string & Opt = randomUUID();

  @ManyToOne(() => Tenant, { ref: true, fieldName: 'tenant_id' })
  @Index()
  tenant!: Ref<Tenant>;

  /** Stored lower-cased; unique across tenants because login is by e-mail alone. */
  @Property({ type: 'text', unique: true })
  email!: string;

  /** What people call them; the e-mail when nobody said. */
  @Property({ type: 'text' })
  name: string & Opt = '';

  /** Argon2id; an invited user who has not accepted yet has `!invited`, which no password matches. */
  @Property({ type: 'text', hidden: true, lazy: true })
  passwordHash!: string;

  @Enum({ items: () => [...USER_ROLES], type: 'text' })
  role!: UserRole;

  @Property({ type: 'boolean' })
  active: boolean & Opt = true;

  /** The first-start admin: manages tenants and every tenant's API keys. Other admins administer their own tenant. */
  @Property({ type: 'boolean' })
  platformAdmin: boolean & Opt = false;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();

  /** Tokens are issued in the user's current generation of sessions; a password reset starts the next, ending the others. */
  @Property({ type: 'integer' })
  sessionGeneration: number & Opt = 0;
}
