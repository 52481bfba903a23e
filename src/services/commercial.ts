import { checkRenewalEligibility } from './billing/check-renewal-eligibility.js';
import { cancelSubscription } from './billing/cancel-subscription.js';
import { createSubscription } from './billing/create-subscription.js';
import { extendSubscription } from './billing/extend-subscription.js';
import { createLedgerPaymentProvider } from './billing/ledger-payment-provider.js';
import type { PaymentProvider } from './billing/payment-provider.js';
import { createProcessPaymentMethod } from './billing/process-payment.js';
import { createProcessRenewalPaymentMethod } from './billing/process-renewal-payment.js';
import { acceptQuote } from './crm/accept-quote.js';
import { createRenewalQuote } from './crm/create-renewal-quote.js';
import { withdrawQuote } from './crm/withdraw-quote.js';
import { createFromLead } from './customer/create-from-lead.js';
import { createPartnerCustomer } from './customer/create-partner-customer.js';
import { DEFAULT_DEPLOYMENT_SETTINGS, type DeploymentSettings } from './deployment/deployment-settings.js';
import { createProvisionPartnerTenantMethod } from './deployment/provision-partner-tenant.js';
import { createProvisionTenantMethod } from './deployment/provision-tenant.js';
import { createScheduleDeploymentMethod } from './deployment/schedule-deployment.js';
import { allocateFromPartner } from './license/allocate-from-partner.js';
import { issueLicense } from './license/issue-license.js';
import { returnToPartner, revokeLicense } from './license/revoke-license.js';
import { checkLicenseQuota } from './partner/check-license-quota.js';
import { recordCommission } from './partner/record-commission.js';
import { voidCommission } from './partner/void-commission.js';
import type { ServiceMethod } from './registry.js';
import { cancelOrder } from './sales/cancel-order.js';
import { createOrderFromQuote } from './sales/create-order-from-quote.js';
import { getCustomer } from './customer/get-customer.js';

export { createLedgerPaymentProvider, DEFAULT_DEPLOYMENT_SETTINGS };
export type { DeploymentSettings, PaymentProvider };

/** What the commercial services (customer, crm, sales, billing, license, partner, deployment) need from outside. */
export interface CommercialServiceDeps {
  /**
   * The provider billing charges through. The composition root chooses it; without one, the built-in
   * ledger provider (`createLedgerPaymentProvider()`), which books charges in our own database.
   */
  paymentProvider?: PaymentProvider;
  /** Where provisioned tenants live and how deployment slots are booked; defaults in DEFAULT_DEPLOYMENT_SETTINGS. */
  deployment?: Partial<DeploymentSettings>;
}

/** The commercial services' methods, for the registry. */
export function createCommercialServiceMethods(deps: CommercialServiceDeps): ServiceMethod[] {
  const paymentProvider = deps.paymentProvider ?? createLedgerPaymentProvider();
  const deployment: DeploymentSettings = { ...DEFAULT_DEPLOYMENT_SETTINGS, ...deps.deployment };
  const methods = [
    createFromLead,
    createPartnerCustomer,
    getCustomer,
    acceptQuote,
    createRenewalQuote,
    withdrawQuote,
    createOrderFromQuote,
    cancelOrder,
    createSubscription,
    cancelSubscription,
    createProcessPaymentMethod(paymentProvider),
    checkRenewalEligibility,
    createProcessRenewalPaymentMethod(paymentProvider),
    extendSubscription,
    issueLicense,
    revokeLicense,
    allocateFromPartner,
    returnToPartner,
    createProvisionTenantMethod(deployment),
    createScheduleDeploymentMethod(deployment),
    createProvisionPartnerTenantMethod(deployment),
    checkLicenseQuota,
    recordCommission,
    voidCommission,
  ];
  return methods;
}
