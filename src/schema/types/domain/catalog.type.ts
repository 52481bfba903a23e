import { GraphQLSafeInt } from 'graphql-scalars';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { BillingCycle } from '../../../entities/domain/plan.entity.js';
import { BillingCycleEnum } from './enums.js';

@ObjectType('Plan', { description: 'A price list entry: priceAmount is charged once per billing cycle.' })
export class PlanType {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'What workflows name: basic-monthly, pro-annual…' })
  code!: string;

  @Field()
  name!: string;

  @Field(() => BillingCycleEnum)
  billingCycle!: BillingCycle;

  @Field(() => GraphQLSafeInt, { description: 'Minor units (cents) per cycle.' })
  priceAmount!: number;

  @Field()
  currency!: string;

  @Field(() => Int)
  gracePeriodDays!: number;

  @Field()
  active!: boolean;

  @Field()
  createdAt!: Date;
}

@ObjectType('Partner', { description: 'A reseller with a pool of license seats and a commission rate.' })
export class PartnerType {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'What workflows name: demo-partner…' })
  code!: string;

  @Field()
  name!: string;

  @Field(() => String, { nullable: true })
  email!: string | null;

  @Field({ description: 'active or suspended.' })
  status!: string;

  @Field(() => Int)
  seatsTotal!: number;

  @Field(() => Int)
  seatsUsed!: number;

  @Field(() => Int)
  seatsRemaining!: number;

  @Field(() => GraphQLSafeInt, { description: 'List price of one seat, minor units: the base of the commission.' })
  seatPriceAmount!: number;

  @Field()
  currency!: string;

  @Field(() => Int, { description: 'Basis points (2000 = 20 %).' })
  commissionRateBps!: number;

  @Field()
  createdAt!: Date;
}
