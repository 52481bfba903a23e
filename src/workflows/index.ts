export type { BuiltInOptions, BuiltInWorkflow } from './common.js';
export { builtInWorkflows } from './catalog.js';
export {
  builtInStatusOf,
  heldRevisions,
  restoreBuiltInWorkflow,
  type BuiltInState,
  type BuiltInStatus,
  type HeldRevision,
} from './built-in-status.js';
export { seedBuiltInWorkflows, upgradeBuiltInWorkflows, type BuiltInOutcome, type SeededWorkflow } from './seed.js';
export { CUSTOMER_RENEWAL_PROCESS } from './customer-renewal-process.js';
export { ISP_TICKET_TO_DEPLOYMENT } from './isp-ticket-to-deployment.js';
export { LEAD_TO_CUSTOMER_ONBOARDING } from './lead-to-customer-onboarding.js';
export { PARTNER_CUSTOMER_PROVISIONING } from './partner-customer-provisioning.js';
export { QUOTE_ACCEPTED_TO_ORDER } from './quote-accepted-to-order.js';
export { PAYMENT_PROCESSING } from './payment-processing.js';
export { LEAD_TO_OPPORTUNITY } from './lead-to-opportunity.js';
export { BUSINESS_ACTIVATION } from './business-activation.js';
export { OPPORTUNITY_FOLLOW_UP } from './opportunity-follow-up.js';
export { LATE_WIN_INVOICING } from './late-win-invoicing.js';
