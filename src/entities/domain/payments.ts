import { StoredDocument } from './document.entity.js';
import { ExchangeRate } from './exchange-rate.entity.js';
import { FollowUpTask } from './follow-up-task.entity.js';
import { Opportunity } from './opportunity.entity.js';
import { PaymentIntent } from './payment-intent.entity.js';
import { TaxRate } from './tax-rate.entity.js';
import type { EntityClass } from '../entity-class.js';

export { ExchangeRate, FollowUpTask, Opportunity, PaymentIntent, StoredDocument, TaxRate };

/** The tables of issue 18: asynchronous payments and invoicing with tax; the opportunity pipeline. */
export const PAYMENT_ENTITIES: EntityClass[] = [PaymentIntent, TaxRate, ExchangeRate, StoredDocument, Opportunity, FollowUpTask];
