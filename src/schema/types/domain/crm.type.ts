import { GraphQLSafeInt } from 'graphql-scalars';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { LeadStatus } from '../../../entities/domain/lead.entity.js';
import type { QuoteKind, QuoteStatus } from '../../../entities/domain/quote.entity.js';
import type { TicketKind, TicketPriority, TicketStatus } from '../../../entities/domain/ticket.entity.js';
import { LeadStatusEnum, QuoteKindEnum, QuoteStatusEnum, TicketKindEnum, TicketPriorityEnum, TicketStatusEnum } from './enums.js';

@ObjectType('Lead', { description: 'A prospective customer. Qualifying it starts lead_to_customer_onboarding.' })
export class LeadType {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field()
  email!: string;

  @Field(() => String, { nullable: true })
  company!: string | null;

  @Field(() => String, { nullable: true })
  phone!: string | null;

  @Field(() => String, { nullable: true, description: 'Where it came from: web, referral, event…' })
  source!: string | null;

  @Field(() => LeadStatusEnum)
  status!: LeadStatus;

  @Field(() => Date, { nullable: true })
  qualifiedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  convertedAt!: Date | null;

  @Field()
  createdAt!: Date;
}

@ObjectType('Customer')
export class CustomerType {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field()
  email!: string;

  @Field(() => String, { nullable: true })
  company!: string | null;

  @Field(() => String, { nullable: true })
  phone!: string | null;

  @Field({ description: 'active or inactive.' })
  status!: string;

  @Field({ description: 'lead, partner or direct.' })
  source!: string;

  @Field(() => ID, { nullable: true, description: 'The lead it was converted from.' })
  leadId!: string | null;

  @Field(() => ID, { nullable: true, description: 'The partner that owns it.' })
  partnerId!: string | null;

  @Field()
  createdAt!: Date;
}

@ObjectType('DocumentLine', { description: 'A line of a quote or an order: quantity × unit price = amount, in minor units.' })
export class DocumentLineType {
  @Field(() => Int)
  position!: number;

  @Field()
  description!: string;

  @Field(() => String, { nullable: true })
  productCode!: string | null;

  @Field(() => ID, { nullable: true })
  planId!: string | null;

  @Field(() => Int)
  quantity!: number;

  @Field(() => GraphQLSafeInt, { description: 'Minor units (cents).' })
  unitPriceAmount!: number;

  @Field(() => GraphQLSafeInt, { description: 'Minor units (cents).' })
  amount!: number;
}

@ObjectType('Quote', { description: 'A priced offer to a customer. Accepting a NEW quote starts quote_accepted_to_order.' })
export class QuoteType {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'Q-20261122-7KX2M9' })
  number!: string;

  @Field(() => QuoteKindEnum)
  kind!: QuoteKind;

  @Field(() => QuoteStatusEnum)
  status!: QuoteStatus;

  @Field(() => ID)
  customerId!: string;

  @Field(() => ID, { nullable: true })
  leadId!: string | null;

  @Field(() => ID, { nullable: true, description: 'Renewal quotes: the subscription renewed.' })
  subscriptionId!: string | null;

  @Field(() => Int, { nullable: true, description: 'Renewal quotes: months renewed.' })
  termMonths!: number | null;

  @Field()
  currency!: string;

  @Field(() => GraphQLSafeInt, { description: 'Minor units (cents): the sum of the lines.' })
  totalAmount!: number;

  @Field()
  validUntil!: Date;

  @Field(() => Date, { nullable: true })
  sentAt!: Date | null;

  @Field(() => Date, { nullable: true })
  acceptedAt!: Date | null;

  @Field(() => String, { nullable: true })
  acceptedBy!: string | null;

  @Field()
  createdAt!: Date;

  @Field(() => [DocumentLineType])
  lines!: DocumentLineType[];
}

@ObjectType('Appointment', { description: "A technician's visit booked for a ticket." })
export class AppointmentType {
  @Field(() => ID)
  technicianId!: string;

  @Field()
  technicianName!: string;

  @Field()
  startsAt!: Date;

  @Field()
  endsAt!: Date;

  @Field({ description: 'scheduled, completed or cancelled.' })
  status!: string;
}

@ObjectType('Ticket')
export class TicketType {
  @Field(() => ID)
  id!: string;

  @Field(() => Int)
  number!: number;

  @Field({ description: 'TCK-000123' })
  reference!: string;

  @Field(() => TicketKindEnum)
  kind!: TicketKind;

  @Field()
  title!: string;

  @Field()
  description!: string;

  @Field(() => ID, { nullable: true })
  customerId!: string | null;

  @Field(() => TicketPriorityEnum)
  priority!: TicketPriority;

  @Field(() => TicketStatusEnum)
  status!: TicketStatus;

  @Field(() => String, { nullable: true })
  assignedTeam!: string | null;

  @Field(() => String, { nullable: true })
  installationAddress!: string | null;

  @Field()
  createdAt!: Date;

  @Field(() => AppointmentType, { nullable: true })
  appointment!: AppointmentType | null;
}
