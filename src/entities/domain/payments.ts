import { StoredDocument } from './document.entity.js';
import { ExchangeRate } from './exchange-rate.entity.js';
import { PaymentIntent } from './payment-intent.entity.js';
import { TaxRate } from './tax-rate.entity.js';

export { ExchangeRate, PaymentIntent, StoredDocument, TaxRate };

/** The tables of asynchronous payments and invoicing with tax (issue 18). */
export const PAYMENT_ENTITIES: Function[] = [PaymentIntent, TaxRate, ExchangeRate, StoredDocument];
