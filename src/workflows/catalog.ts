import type { BuiltInOptions, BuiltInWorkflow } from './common.js';
import { customerRenewalProcess } from './customer-renewal-process.js';
import { ispTicketToDeployment } from './isp-ticket-to-deployment.js';
import { leadToCustomerOnboarding } from './lead-to-customer-onboarding.js';
import { partnerCustomerProvisioning } from './partner-customer-provisioning.js';
import { quoteAcceptedToOrder } from './quote-accepted-to-order.js';

/** The five built-in workflows, in the order of DOMAIN.md, as seeded into a tenant. */
export function builtInWorkflows(options: BuiltInOptions): BuiltInWorkflow[] {
  return [
    leadToCustomerOnboarding(options),
    quoteAcceptedToOrder(options),
    partnerCustomerProvisioning(options),
    customerRenewalProcess(options),
    ispTicketToDeployment(options),
  ];
}
