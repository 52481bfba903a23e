import { Entity, ManyToOne, Property, type Ref } from '@mikro-orm/core';
import { Tenant } from '../tenant.entity.js';

/**
 * The last ticket number of a tenant. Taken with an upsert that row-locks it until the transaction
 * ends, so concurrent tickets get distinct, gap-free numbers.
 */
@Entity({ tableName: 'ticket_counters' })
export class TicketCounter {
  @ManyToOne(() => Tenant, { ref: true, fieldName: 'tenant_id', primary: true })
  tenant!: Ref<Tenant>;

  @Property({ type: 'integer' })
  lastNumber!: number;
}
