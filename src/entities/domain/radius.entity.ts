import { Entity, Index, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { Tenant } from '../tenant.entity.js';

/**
 * FreeRADIUS's SQL tables (raddb/mods-config/sql/main/postgresql/schema.sql): the column names, types and
 * defaults FreeRADIUS's queries expect (`id serial`, `username`, `attribute`, `op varchar(2)`, `value`;
 * `groupname`, `priority`), so rlm_sql can read them as they are. We add `tenant_id`: FreeRADIUS names
 * its columns in its queries and ignores the extra one. A NAS asks by user name alone, so a name belongs
 * to one tenant: (username, attribute) is unique in radcheck across tenants.
 */
@Entity({ tableName: 'radcheck' })
@Unique({ name: 'radcheck_username_attribute_unique', properties: ['username', 'attribute'] })
export class RadCheck {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number & Opt;

  @ManyToOne(() => Tenant, { ref: true, fieldName: 'tenant_id' })
  @Index()
  tenant!: Ref<Tenant>;

  @Property({ type: 'text', default: '' })
  username!: string;

  @Property({ type: 'text', default: '' })
  attribute!: string;

  @Property({ type: 'string', columnType: 'varchar(2)', default: '==' })
  op!: string;

  @Property({ type: 'text', default: '' })
  value!: string;
}

/** Reply attributes (Framed-IP-Address, rate limits) sent with Access-Accept. */
@Entity({ tableName: 'radreply' })
@Index({ name: 'radreply_username_attribute_index', properties: ['username', 'attribute'] })
export class RadReply {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number & Opt;

  @ManyToOne(() => Tenant, { ref: true, fieldName: 'tenant_id' })
  @Index()
  tenant!: Ref<Tenant>;

  @Property({ type: 'text', default: '' })
  username!: string;

  @Property({ type: 'text', default: '' })
  attribute!: string;

  @Property({ type: 'string', columnType: 'varchar(2)', default: '=' })
  op!: string;

  @Property({ type: 'text', default: '' })
  value!: string;
}

/** Group membership (a bandwidth profile's group), read for radgroupcheck/radgroupreply. */
@Entity({ tableName: 'radusergroup' })
@Index({ name: 'radusergroup_username_index', properties: ['username'] })
export class RadUserGroup {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number & Opt;

  @ManyToOne(() => Tenant, { ref: true, fieldName: 'tenant_id' })
  @Index()
  tenant!: Ref<Tenant>;

  @Property({ type: 'text', default: '' })
  username!: string;

  @Property({ type: 'text', fieldName: 'groupname', default: '' })
  groupName!: string;

  @Property({ type: 'integer', default: 0 })
  priority!: number;
}
