import { GraphQLSafeInt } from 'graphql-scalars';
import { EmailAttachmentType, InvoiceTaxType } from './payments.type.js';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { DeploymentStatus } from '../../../entities/domain/deployment.entity.js';
import { JSONObjectScalar } from '../../scalars/index.js';
import { TenantType } from '../auth.type.js';
import { DocumentLineType } from './crm.type.js';
import { DeploymentStatusEnum } from './enums.js';

@ObjectType('CustomerSubscription', { description: "A customer's subscription to a plan." })
export class SubscriptionType {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  customerId!: string;

  @Field(() => ID)
  planId!: string;

  @Field()
  planCode!: string;

  @Field({ description: 'active, cancelled or expired.' })
  status!: string;

  @Field()
  currentPeriodStart!: Date;

  @Field()
  currentPeriodEnd!: Date;

  @Field({ description: 'What renewals are charged to.' })
  paymentMethod!: string;

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  cancelledAt!: Date | null;
}

@ObjectType('Invoice', { description: 'A bill; renewal quotes are invoiced when paid.' })
export class InvoiceType {
  @Field(() => ID)
  id!: string;

  @Field()
  number!: string;

  @Field(() => ID)
  customerId!: string;

  @Field(() => ID, { nullable: true })
  subscriptionId!: string | null;

  @Field(() => ID, { nullable: true })
  quoteId!: string | null;

  @Field({ description: 'draft, open, paid or void.' })
  status!: string;

  @Field(() => GraphQLSafeInt, { description: 'Minor units (cents).' })
  amount!: number;

  @Field()
  currency!: string;

  @Field()
  issuedAt!: Date;

  @Field()
  dueAt!: Date;

  @Field(() => Date, { nullable: true })
  paidAt!: Date | null;

  @Field(() => InvoiceTaxType, {
    nullable: true,
    description: 'Subtotal, tax and rates, for an invoice raised with tax (payment_processing).',
  })
  tax!: InvoiceTaxType | null;

  @Field(() => String, { nullable: true, description: 'Why it was voided.' })
  voidReason!: string | null;
}

@ObjectType('Payment', { description: 'A captured payment of an order or an invoice.' })
export class PaymentType {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  customerId!: string;

  @Field(() => ID, { nullable: true })
  orderId!: string | null;

  @Field(() => ID, { nullable: true })
  invoiceId!: string | null;

  @Field(() => GraphQLSafeInt, { description: 'Minor units (cents).' })
  amount!: number;

  @Field()
  currency!: string;

  @Field({ description: 'card, bank_transfer…' })
  method!: string;

  @Field({ description: 'The provider that captured it (ledger: the built-in one).' })
  provider!: string;

  @Field()
  providerReference!: string;

  @Field({ description: 'succeeded or refunded.' })
  status!: string;

  @Field()
  createdAt!: Date;
}

@ObjectType('License')
export class LicenseType {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'SWY-XXXXX-XXXXX-XXXXX-XXXXX-C' })
  key!: string;

  @Field(() => ID)
  customerId!: string;

  @Field(() => ID, { nullable: true })
  templateId!: string | null;

  @Field(() => String, { nullable: true })
  templateCode!: string | null;

  @Field(() => ID, { nullable: true, description: "Seats from this partner's pool." })
  partnerId!: string | null;

  @Field(() => Int)
  seats!: number;

  @Field({ description: 'active, revoked or expired.' })
  status!: string;

  @Field()
  issuedAt!: Date;

  @Field(() => Date, { nullable: true })
  expiresAt!: Date | null;
}

@ObjectType('Deployment', { description: 'A deployment slot booked for an order, or a tenant provisioned for a customer.' })
export class DeploymentType {
  @Field(() => ID)
  id!: string;

  @Field(() => DeploymentStatusEnum)
  status!: DeploymentStatus;

  @Field(() => String, { nullable: true, description: 'shared or dedicated (provisioned tenants).' })
  type!: string | null;

  @Field(() => String, { nullable: true, description: 'low, normal, high or urgent (booked slots).' })
  priority!: string | null;

  @Field(() => ID)
  customerId!: string;

  @Field(() => ID, { nullable: true })
  orderId!: string | null;

  @Field(() => ID, { nullable: true })
  licenseId!: string | null;

  @Field(() => ID, { nullable: true })
  partnerId!: string | null;

  @Field(() => String, { nullable: true, description: 'The day asked for (YYYY-MM-DD).' })
  requestedFor!: string | null;

  @Field(() => String, { nullable: true, description: 'The day booked (YYYY-MM-DD).' })
  scheduledFor!: string | null;

  @Field(() => TenantType, { nullable: true, description: 'The tenant provisioned for the customer.' })
  tenant!: TenantType | null;

  @Field(() => String, { nullable: true })
  tenantUrl!: string | null;

  @Field(() => JSONObjectScalar, { nullable: true, description: 'White-label branding (partner tenants).' })
  branding!: Record<string, unknown> | null;

  @Field(() => Date, { nullable: true })
  provisionedAt!: Date | null;

  @Field()
  createdAt!: Date;
}

@ObjectType('Order')
export class OrderType {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'O-20261122-7KX2M9' })
  number!: string;

  @Field(() => ID)
  customerId!: string;

  @Field(() => ID, { nullable: true })
  quoteId!: string | null;

  @Field({ description: 'pending_payment, paid or cancelled.' })
  status!: string;

  @Field()
  currency!: string;

  @Field(() => GraphQLSafeInt, { description: 'Minor units (cents).' })
  totalAmount!: number;

  @Field(() => GraphQLSafeInt)
  amountPaid!: number;

  @Field(() => GraphQLSafeInt)
  openBalance!: number;

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  paidAt!: Date | null;

  @Field(() => [DocumentLineType])
  lines!: DocumentLineType[];
}

@ObjectType('Allocation', { description: 'An IPv4 address and a VLAN held by a service instance (an access service at a location).' })
export class AllocationType {
  @Field(() => ID)
  serviceId!: string;

  @Field(() => ID)
  customerId!: string;

  @Field()
  location!: string;

  @Field()
  bandwidthPlan!: string;

  @Field({ description: 'provisioning, active, suspended or released.' })
  serviceStatus!: string;

  @Field({ description: 'The PPPoE / RADIUS user name.' })
  username!: string;

  @Field()
  ipAddress!: string;

  @Field(() => ID, { nullable: true })
  ipPoolId!: string | null;

  @Field(() => Int)
  vlanId!: number;

  @Field(() => ID, { nullable: true })
  vlanRangeId!: string | null;

  @Field()
  allocatedAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When the address and VLAN went back to their pools.' })
  releasedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  activatedAt!: Date | null;
}

@ObjectType('RadiusAttribute')
export class RadiusAttributeType {
  @Field()
  attribute!: string;

  @Field()
  op!: string;

  @Field(() => String, { nullable: true, description: 'Null for the password hash, which is never shown.' })
  value!: string | null;
}

@ObjectType('RadiusAccount', { description: 'A FreeRADIUS subscriber: its radcheck, radreply and radusergroup rows.' })
export class RadiusAccountType {
  @Field()
  username!: string;

  @Field(() => [RadiusAttributeType])
  checks!: RadiusAttributeType[];

  @Field(() => [RadiusAttributeType], { description: 'Framed-IP-Address, rate limits…' })
  replies!: RadiusAttributeType[];

  @Field(() => [String])
  groups!: string[];
}

@ObjectType('OutboxEmail', { description: 'An e-mail a workflow queued, as rendered; the outbox dispatcher sends it over SMTP.' })
export class OutboxEmailType {
  @Field(() => ID)
  id!: string;

  @Field()
  to!: string;

  @Field(() => String, { nullable: true })
  toName!: string | null;

  @Field()
  template!: string;

  @Field()
  subject!: string;

  @Field({ description: 'The plain-text body.' })
  text!: string;

  @Field({ description: 'pending, sent or failed.' })
  status!: string;

  @Field(() => Int)
  attempts!: number;

  @Field(() => String, { nullable: true })
  lastError!: string | null;

  @Field(() => [EmailAttachmentType], { description: 'Files it carries (an invoice PDF).' })
  attachments!: EmailAttachmentType[];

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  sentAt!: Date | null;
}

@ObjectType('Commission', { description: 'A commission owed to a partner for a customer.' })
export class CommissionType {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  partnerId!: string;

  @Field(() => ID)
  customerId!: string;

  @Field({ description: 'new_customer, renewal, upsell or referral.' })
  type!: string;

  @Field(() => GraphQLSafeInt, { description: 'Minor units (cents).' })
  amount!: number;

  @Field()
  currency!: string;

  @Field(() => Int, { nullable: true })
  rateBps!: number | null;

  @Field(() => GraphQLSafeInt, { nullable: true, description: 'What the rate was applied to: seats × seat price.' })
  baseAmount!: number | null;

  @Field({ description: 'accrued, paid or void.' })
  status!: string;

  @Field()
  createdAt!: Date;
}
