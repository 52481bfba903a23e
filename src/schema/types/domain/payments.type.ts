import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLSafeInt } from 'graphql-scalars';
import { PAYMENT_INTENT_STATUSES, type PaymentIntentStatus } from '../../../entities/domain/payment-intent.entity.js';
import { enumOf } from './enums.js';

export const PaymentIntentStatusEnum = enumOf<PaymentIntentStatus>(PAYMENT_INTENT_STATUSES);
registerEnumType(PaymentIntentStatusEnum, {
  name: 'PaymentIntentStatus',
  description:
    "PROCESSING until the provider's webhook settles it as SUCCEEDED or FAILED; CANCELED when the run stopped waiting for it; REFUNDED when it was captured after that and payment_refund gave the money back.",
});

@ObjectType('InvoiceTax', { description: 'The tax of an invoice raised with one (payment_processing): amount = subtotal + tax, exactly.' })
export class InvoiceTaxType {
  @Field(() => GraphQLSafeInt, { description: 'Minor units, in the invoice currency.' })
  subtotalAmount!: number;

  @Field(() => GraphQLSafeInt)
  taxAmount!: number;

  @Field({ description: '`VAT 19 %`, `GST 10 %`, `CA sales tax 7.25 %`.' })
  label!: string;

  @Field({ description: 'ISO 3166: `DE`, `AU`, `US-CA`.' })
  region!: string;

  @Field(() => Int, { description: 'The rate in millionths (190000 = 19 %).' })
  rateMicros!: number;

  @Field(() => GraphQLSafeInt, { description: 'The price before conversion, in `priceCurrency`.' })
  priceAmount!: number;

  @Field()
  priceCurrency!: string;

  @Field({ description: 'One unit of priceCurrency in the invoice currency, in millionths (1000000 when the same).' })
  exchangeRateMicros!: string;
}

@ObjectType('PaymentIntent', { description: 'An asynchronous payment: created with the provider, settled by its signed webhook.' })
export class PaymentIntentType {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  customerId!: string;

  @Field(() => ID)
  invoiceId!: string;

  @Field(() => PaymentIntentStatusEnum)
  status!: PaymentIntentStatus;

  @Field(() => GraphQLSafeInt, { description: 'Minor units.' })
  amount!: number;

  @Field()
  currency!: string;

  @Field()
  method!: string;

  @Field({ description: '`ledger` or `stripe`.' })
  provider!: string;

  @Field({ description: "The provider's id of the intent (`ldi_…`, `pi_…`), which its webhooks name." })
  providerReference!: string;

  @Field(() => String, { nullable: true, description: "The provider's code (`card_declined`), or `confirmation_timeout`." })
  failureCode!: string | null;

  @Field(() => String, { nullable: true })
  failureMessage!: string | null;

  @Field(() => String, { nullable: true, description: "The provider's event that settled it." })
  providerEventId!: string | null;

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  settledAt!: Date | null;

  @Field(() => String, {
    nullable: true,
    description: "The provider's refund (`ldr_…`, `re_…`) of a capture that came after the run gave up (REFUNDED).",
  })
  refundReference!: string | null;

  @Field(() => Date, { nullable: true })
  refundedAt!: Date | null;
}

@ObjectType('TaxRate', { description: 'The tax of a region: VAT, GST or US state sales tax.' })
export class TaxRateType {
  @Field()
  region!: string;

  @Field({ description: 'vat, gst, sales_tax or none.' })
  kind!: string;

  @Field()
  label!: string;

  @Field(() => Int, { description: 'Millionths (72500 = 7.25 %).' })
  rateMicros!: number;
}

@ObjectType('ExchangeRate', { description: 'One unit of `base` in `quote`, in millionths.' })
export class ExchangeRateType {
  @Field()
  base!: string;

  @Field()
  quote!: string;

  @Field()
  rateMicros!: string;
}

@ObjectType('EmailAttachment')
export class EmailAttachmentType {
  @Field()
  filename!: string;

  @Field()
  contentType!: string;

  @Field(() => Int, { description: 'Bytes.' })
  size!: number;
}
