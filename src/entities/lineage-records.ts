import type { EntityManager } from '@mikro-orm/core';
import { Customer } from './customer.entity.js';
import { Deployment } from './domain/deployment.entity.js';
import { Invoice } from './domain/invoice.entity.js';
import { IpAllocation } from './domain/ip-allocation.entity.js';
import { Lead } from './domain/lead.entity.js';
import { License } from './domain/license.entity.js';
import { Order } from './domain/order.entity.js';
import { PartnerCommission } from './domain/partner-commission.entity.js';
import { Partner } from './domain/partner.entity.js';
import { PaymentIntent } from './domain/payment-intent.entity.js';
import { Payment } from './domain/payment.entity.js';
import { QuoteLine } from './domain/quote-line.entity.js';
import { Quote } from './domain/quote.entity.js';
import { ServiceInstance } from './domain/service-instance.entity.js';
import { Subscription } from './domain/subscription.entity.js';
import { TechnicianAppointment } from './domain/technician-appointment.entity.js';
import { Ticket } from './domain/ticket.entity.js';
import { VlanAllocation } from './domain/vlan-allocation.entity.js';
import type { RecordType } from './record-lineage.entity.js';

/**
 * The record a changed row belongs to: the row itself (`part: false`), or a row that is part of a record
 * shown as one — an allocation is its service instance with its address and VLAN rows, a ticket shows its
 * technician appointment, a quote its lines, a partner the commissions it is owed — whose change is a
 * change of that record.
 */
export interface LineageTarget {
  readonly type: RecordType;
  readonly id: string;
  readonly part: boolean;
}

type Locate = (row: never) => LineageTarget;

const own =
  (type: RecordType) =>
  (row: { id: string }): LineageTarget => ({ type, id: row.id, part: false });

/** By entity class: an exact lookup, one per changed row of a flush. */
const TRACKED = new Map<abstract new (...args: never[]) => object, Locate>([
  [Customer, own('customer')],
  [Subscription, own('subscription')],
  [License, own('license')],
  [Deployment, own('deployment')],
  [ServiceInstance, own('allocation')],
  [IpAllocation, (row: IpAllocation) => ({ type: 'allocation', id: row.serviceInstance.id, part: true })],
  [VlanAllocation, (row: VlanAllocation) => ({ type: 'allocation', id: row.serviceInstance.id, part: true })],
  [Order, own('order')],
  [Ticket, own('ticket')],
  [TechnicianAppointment, (row: TechnicianAppointment) => ({ type: 'ticket', id: row.ticket.id, part: true })],
  [Lead, own('lead')],
  [Quote, own('quote')],
  [QuoteLine, (row: QuoteLine) => ({ type: 'quote', id: row.quote.id, part: true })],
  [Invoice, own('invoice')],
  [Payment, own('payment')],
  [PaymentIntent, own('payment_intent')],
  [Partner, own('partner')],
  [PartnerCommission, (row: PartnerCommission) => ({ type: 'partner', id: row.partner.id, part: true })],
]);

/** The record whose lineage a change of `row` belongs to; undefined for rows no lineage is kept for. */
export function lineageTargetOf(row: object): LineageTarget | undefined {
  const locate = TRACKED.get(row.constructor as abstract new (...args: never[]) => object);
  return locate ? (locate as (row: object) => LineageTarget)(row) : undefined;
}

/** What the engine's lineage recorder takes besides flushes: a change the unit of work cannot see. */
export interface LineageNotes {
  noteChanged(em: EntityManager, record: { type: RecordType; id: string }): Promise<void>;
}

const takesNotes = (subscriber: object): subscriber is LineageNotes =>
  typeof (subscriber as Partial<LineageNotes>).noteChanged === 'function';

/**
 * Records that a step changed `record` with SQL of its own (a relative `update … set n = n + ?`), which
 * no change set shows. Does nothing on an EntityManager no step's recorder is on (a request's).
 */
export async function noteRecordChanged(em: EntityManager, record: { type: RecordType; id: string }): Promise<void> {
  for (const subscriber of em.getEventManager().getSubscribers()) {
    if (takesNotes(subscriber)) await subscriber.noteChanged(em, record);
  }
}
