import { createFollowUpTask, requestInvoice } from '../crm/pipeline-methods.js';
import type { ServiceMethod } from '../registry.js';
import { createInvoiceDraft, voidInvoice } from './create-invoice-draft.js';
import type { PaymentIntentProvider } from './intent-provider.js';
import { refundLateCaptureMethod } from './late-capture.js';
import { createLedgerIntentProvider } from './ledger-intent-provider.js';
import { cancelPaymentIntentMethod, createPaymentIntentMethod } from './payment-intents.js';
import { renderInvoiceDocument } from './render-invoice-document.js';
import { requirePaymentSucceeded, settlePaymentIntent } from './settle-payment.js';

export type { PaymentIntentProvider };
export { createLedgerIntentProvider };

export interface PaymentServiceDeps {
  /** Asynchronous payments (intents confirmed by webhook); default the ledger's asynchronous mode. */
  paymentIntents?: PaymentIntentProvider;
}

/** Issue 18's methods: billing's asynchronous payments and invoicing with tax (payment_processing), crm's pipeline (lead_to_opportunity). */
export function createPaymentServiceMethods(deps: PaymentServiceDeps): ServiceMethod[] {
  const provider = deps.paymentIntents ?? createLedgerIntentProvider();
  const methods = [
    createInvoiceDraft,
    voidInvoice,
    createPaymentIntentMethod(provider),
    cancelPaymentIntentMethod(provider),
    refundLateCaptureMethod(provider),
    settlePaymentIntent,
    requirePaymentSucceeded,
    renderInvoiceDocument,
    createFollowUpTask,
    requestInvoice,
  ];
  return methods;
}
