import { businessActivation } from './business-activation.js';
import type { BuiltInOptions, BuiltInWorkflow } from './common.js';
import { customerRenewalProcess } from './customer-renewal-process.js';
import { ispTicketToDeployment } from './isp-ticket-to-deployment.js';
import { leadToCustomerOnboarding } from './lead-to-customer-onboarding.js';
import { lateWinInvoicing } from './late-win-invoicing.js';
import { leadToOpportunity } from './lead-to-opportunity.js';
import { partnerCustomerProvisioning } from './partner-customer-provisioning.js';
import { paymentProcessing } from './payment-processing.js';
import { opportunityFollowUp } from './opportunity-follow-up.js';
import { paymentRefund } from './payment-refund.js';
import { quoteAcceptedToOrder } from './quote-accepted-to-order.js';

/** The built-in workflows, as seeded into a tenant: the five of seed 000 in the order of DOMAIN.md, then seed 003's. */
export function builtInWorkflows(options: BuiltInOptions): BuiltInWorkflow[] {
  return [
    leadToCustomerOnboarding(options),
    quoteAcceptedToOrder(options),
    partnerCustomerProvisioning(options),
    customerRenewalProcess(options),
    ispTicketToDeployment(options),
    paymentProcessing(options),
    leadToOpportunity(options),
    businessActivation(options),
    paymentRefund(options),
    opportunityFollowUp(options),
    lateWinInvoicing(options),
  ];
}
