import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import { Requires } from '../../auth/auth-checker.js';
import { inTenantTransaction } from '../../auth/tenant-scope.js';
import type { RequestContext } from '../../context.js';
import type { PaymentIntentStatus } from '../../entities/domain/payment-intent.entity.js';
import { ExchangeRateType, PaymentIntentStatusEnum, PaymentIntentType, TaxRateType } from '../../schema/types/domain/payments.type.js';
import { listExchangeRates, listPaymentIntents, listTaxRates } from '../../services/payments/payment-records.js';
import { actorOf } from './actor.js';

/** Asynchronous payments and the rates invoices are raised with (payment_processing). */
@Resolver()
export class DomainPaymentsResolver {
  @Requires('crm:view')
  @Query(() => [PaymentIntentType], { description: 'Payment intents (the transactions of payment_processing), newest first.' })
  async paymentIntents(
    @Arg('customerId', () => ID, { nullable: true }) customerId: string | null,
    @Arg('status', () => PaymentIntentStatusEnum, { nullable: true }) status: PaymentIntentStatus | null,
    @Arg('first', () => Int, { nullable: true, description: '1–200, default 50.' }) first: number | null,
    @Ctx() ctx: RequestContext,
  ): Promise<PaymentIntentType[]> {
    const { tenantId } = actorOf(ctx);
    return inTenantTransaction(ctx.em, tenantId, (em) => listPaymentIntents(em, tenantId, { customerId, status, first }));
  }

  @Requires('crm:view')
  @Query(() => [TaxRateType], { description: 'The tax of each region invoices are raised for (VAT, GST, US sales tax).' })
  async taxRates(@Ctx() ctx: RequestContext): Promise<TaxRateType[]> {
    const { tenantId } = actorOf(ctx);
    return inTenantTransaction(ctx.em, tenantId, (em) => listTaxRates(em));
  }

  @Requires('crm:view')
  @Query(() => [ExchangeRateType], { description: 'The rates invoices in another currency than the price are converted at.' })
  async exchangeRates(@Ctx() ctx: RequestContext): Promise<ExchangeRateType[]> {
    const { tenantId } = actorOf(ctx);
    return inTenantTransaction(ctx.em, tenantId, (em) => listExchangeRates(em));
  }
}
