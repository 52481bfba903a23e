import { randomUUID } from 'node:crypto';
import { Entity, Enum, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { Tenant } from '../tenant.entity.js';

export const LEDGER_ACCOUNT_TYPES = ['asset', 'liability', 'equity', 'revenue', 'expense'] as const;
export type LedgerAccountType = (typeof LEDGER_ACCOUNT_TYPES)[number];

/** A tenant's chart of accounts, one row an account (`1000 Cash`, `4000 Sales`…), seeded by business_activation. */
@Entity({ tableName: 'ledger_accounts' })
@Unique({ properties: ['tenant', 'code'] })
export class LedgerAccount {
  @PrimaryKey({ type: 'uuid' })
  id: string & Opt = randomUUID();

  @ManyToOne(() => Tenant, { ref: true, fieldName: 'tenant_id' })
  tenant!: Ref<Tenant>;

  @Property({ type: 'text' })
  code!: string;

  @Property({ type: 'text' })
  name!: string;

  @Enum({ items: () => [...LEDGER_ACCOUNT_TYPES], type: 'text' })
  type!: LedgerAccountType;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();
}
