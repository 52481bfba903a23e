import { GraphQLSafeInt } from 'graphql-scalars';
import { Field, InputType, Int } from 'type-graphql';
import type { BillingCycle } from '../../../entities/domain/plan.entity.js';
import { BillingCycleEnum } from '../../types/domain/enums.js';

@InputType('CreatePlanInput')
export class CreatePlanInput {
  @Field({ description: 'Lower-case letters, digits and hyphens; unique per tenant.' })
  code!: string;

  @Field()
  name!: string;

  @Field(() => BillingCycleEnum)
  billingCycle!: BillingCycle;

  @Field(() => GraphQLSafeInt, { description: 'Minor units (cents) per cycle.' })
  priceAmount!: number;

  @Field({ description: 'ISO 4217, e.g. USD.' })
  currency!: string;

  @Field(() => Int, { nullable: true, description: 'Days a lapsed subscription can still renew; default 14.' })
  gracePeriodDays?: number | null;
}

@InputType('CreatePartnerInput')
export class CreatePartnerInput {
  @Field({ description: 'Lower-case letters, digits and hyphens; unique per tenant.' })
  code!: string;

  @Field()
  name!: string;

  @Field(() => String, { nullable: true })
  email?: string | null;

  @Field(() => Int, { description: 'Seats in the pool.' })
  seatsTotal!: number;

  @Field(() => GraphQLSafeInt, { description: 'List price of one seat, minor units.' })
  seatPriceAmount!: number;

  @Field()
  currency!: string;

  @Field(() => Int, { description: 'Basis points, 0–10000 (2000 = 20 %).' })
  commissionRateBps!: number;
}
