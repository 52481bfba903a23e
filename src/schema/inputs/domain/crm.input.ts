import { GraphQLSafeInt } from 'graphql-scalars';
import { Field, ID, InputType, Int } from 'type-graphql';
import type { TicketPriority } from '../../../entities/domain/ticket.entity.js';
import { TicketPriorityEnum } from '../../types/domain/enums.js';

@InputType('CreateLeadInput')
export class CreateLeadInput {
  @Field()
  name!: string;

  @Field()
  email!: string;

  @Field(() => String, { nullable: true })
  company?: string | null;

  @Field(() => String, { nullable: true })
  phone?: string | null;

  @Field(() => String, { nullable: true, description: 'web, referral, event…' })
  source?: string | null;
}

@InputType('CreateCustomerInput')
export class CreateCustomerInput {
  @Field()
  name!: string;

  @Field({ description: 'Unique per tenant.' })
  email!: string;

  @Field(() => String, { nullable: true })
  company?: string | null;

  @Field(() => String, { nullable: true })
  phone?: string | null;
}

@InputType('QuoteLineInput', { description: 'A plan (its name, code and price are the defaults), or a description with a unit price.' })
export class QuoteLineInput {
  @Field(() => String, { nullable: true, description: "A plan's id or code." })
  planId?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => String, { nullable: true })
  productCode?: string | null;

  @Field(() => Int, { nullable: true, description: 'Default 1.' })
  quantity?: number | null;

  @Field(() => GraphQLSafeInt, { nullable: true, description: "Minor units (cents); default the plan's price." })
  unitPriceAmount?: number | null;
}

@InputType('CreateQuoteInput')
export class CreateQuoteInput {
  @Field(() => ID)
  customerId!: string;

  @Field(() => ID, { nullable: true })
  leadId?: string | null;

  @Field(() => String, { nullable: true, description: "ISO 4217; default the first plan's currency, else USD." })
  currency?: string | null;

  @Field(() => Int, { nullable: true, description: 'Days the offer stands; default 30.' })
  validDays?: number | null;

  @Field(() => [QuoteLineInput])
  lines!: QuoteLineInput[];
}

@InputType('RequestInstallationInput')
export class RequestInstallationInput {
  @Field(() => ID)
  customerId!: string;

  @Field(() => String, { nullable: true, description: "Default: the address of the customer's latest completed site survey." })
  installationAddress?: string | null;

  @Field(() => TicketPriorityEnum, { nullable: true })
  priority?: TicketPriority | null;

  @Field(() => String, { nullable: true })
  description?: string | null;
}
