import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import { Customer } from '../customer.entity.js';
import { Tenant } from '../tenant.entity.js';
import { Technician } from './technician.entity.js';
import { Ticket } from './ticket.entity.js';

export const APPOINTMENT_STATUSES = ['scheduled', 'completed', 'cancelled'] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

export const APPOINTMENT_NO_OVERLAP = 'technician_appointments_no_overlap';

/**
 * A technician's visit for a ticket over [startsAt, endsAt). The exclusion constraint (btree_gist) makes
 * PostgreSQL refuse two live appointments of one technician that overlap, whatever the concurrency.
 */
@Entity({ tableName: 'technician_appointments' })
@Index({
  name: APPOINTMENT_NO_OVERLAP,
  expression:
    `alter table "technician_appointments" add constraint "${APPOINTMENT_NO_OVERLAP}" exclude using gist ` +
    `("technician_id" with =, tstzrange("starts_at", "ends_at") with &&) where ("status" <> 'cancelled')`,
})
export class TechnicianAppointment {
  @PrimaryKey({ type: 'uuid' })
  id: string & Opt = randomUUID();

  @ManyToOne(() => Tenant, { ref: true, fieldName: 'tenant_id' })
  tenant!: Ref<Tenant>;

  @ManyToOne(() => Technician, { ref: true, fieldName: 'technician_id' })
  technician!: Ref<Technician>;

  @ManyToOne(() => Ticket, { ref: true, fieldName: 'ticket_id' })
  @Index()
  ticket!: Ref<Ticket>;

  @ManyToOne(() => Customer, { ref: true, fieldName: 'customer_id' })
  customer!: Ref<Customer>;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  startsAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  endsAt!: Date;

  @Property({ type: 'text' })
  address!: string;

  @Enum({ items: () => [...APPOINTMENT_STATUSES], type: 'text' })
  status: AppointmentStatus & Opt = 'scheduled';

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();
}
