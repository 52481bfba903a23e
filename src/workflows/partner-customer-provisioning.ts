import type { BuiltInOptions, BuiltInWorkflow } from './common.js';

export const PARTNER_CUSTOMER_PROVISIONING = 'partner_customer_provisioning';

/**
 * A partner signs up a customer: when the partner's pool has the seats (otherwise the run ends, completed,
 * having changed nothing), the customer is created under the partner, takes its seats from the pool, gets a
 * white-labelled tenant, earns the partner its `new_customer` commission, and the customer gets a welcome
 * e-mail that carries the invitation of its tenant's admin (and `notify_email`, when given, is told where
 * the workspace is). Started through the API. Every step is local and idempotent on its natural key (the
 * same partner and e-mail is the same customer; the same seat count takes nothing twice). When a step
 * after the seats fails (the tenant cannot be provisioned, say, because the e-mail is already a user's),
 * the seats go back to the partner's pool and the customer's license is revoked (and a commission recorded
 * is voided); a retry takes them again. The customer record stays, and so does a tenant already
 * provisioned (its deployment is reused by the retry).
 */
export function partnerCustomerProvisioning(_options: BuiltInOptions): BuiltInWorkflow {
  return {
    name: PARTNER_CUSTOMER_PROVISIONING,
    revision: 2,
    description: 'Partner customer: quota check, customer, seats from the pool, white-label tenant, commission, e-mail.',
    tags: ['built-in', 'partner'],
    definition: {
      input: {
        type: 'object',
        required: ['partner_id', 'customer_data', 'license_count'],
        additionalProperties: false,
        properties: {
          partner_id: { type: 'string', minLength: 1, description: 'Partner id or code (the demo partner is demo-partner).' },
          customer_data: {
            type: 'object',
            required: ['name', 'email'],
            properties: {
              name: { type: 'string', minLength: 1 },
              email: { type: 'string', format: 'email' },
              company: { type: 'string', minLength: 1 },
              phone: { type: 'string', minLength: 5 },
            },
          },
          license_count: { type: 'integer', minimum: 1, description: 'Seats the customer holds from the pool.' },
          white_label_config: {
            type: 'object',
            description: 'Branding: displayName (default: the company or name), primaryColor, logoUrl, supportEmail, customDomain…',
          },
          notify_email: {
            type: 'string',
            format: 'email',
            description:
              'Someone else to tell that the tenant is ready (the partner, say); the customer gets the welcome e-mail with the invitation.',
          },
        },
      },
      steps: [
        {
          name: 'defaults',
          type: 'transform',
          description: 'The context with the defaults of what it leaves out.',
          expression:
            '$merge([{ "white_label_config": { "displayName": context.customer_data.company ? context.customer_data.company : context.customer_data.name } }, context])',
        },
        {
          name: 'check_license_quota',
          type: 'service_call',
          service: 'partner',
          method: 'checkLicenseQuota',
          params: { partnerId: '${context.partner_id}', requestedLicenses: '${context.license_count}' },
        },
        {
          name: 'quota_available',
          type: 'condition',
          description: 'Stops (completed, nothing changed) when the pool lacks the seats or the partner is suspended.',
          expression: 'steps.check_license_quota.output.available = true',
          onFalse: 'end',
        },
        {
          name: 'create_partner_customer',
          type: 'service_call',
          service: 'customer',
          method: 'createPartnerCustomer',
          params: { partnerId: '${context.partner_id}', customerData: '${context.customer_data}' },
        },
        {
          name: 'allocate_licenses',
          type: 'service_call',
          service: 'license',
          method: 'allocateFromPartner',
          params: {
            partnerId: '${context.partner_id}',
            customerId: '${steps.create_partner_customer.output.customerId}',
            licenseCount: '${context.license_count}',
          },
          compensate: {
            service: 'license',
            method: 'returnToPartner',
            params: { licenseId: '${steps.allocate_licenses.output.licenseId}', seats: '${steps.allocate_licenses.output.seatsAllocated}' },
          },
        },
        {
          name: 'provision_partner_tenant',
          type: 'service_call',
          service: 'deployment',
          method: 'provisionPartnerTenant',
          params: {
            customerId: '${steps.create_partner_customer.output.customerId}',
            partnerId: '${context.partner_id}',
            whiteLabelConfig: '${steps.defaults.output.white_label_config}',
            invitation: 'welcome_email',
          },
        },
        {
          name: 'record_commission',
          type: 'service_call',
          service: 'partner',
          method: 'recordCommission',
          params: {
            partnerId: '${context.partner_id}',
            customerId: '${steps.create_partner_customer.output.customerId}',
            commissionType: 'new_customer',
          },
          compensate: {
            service: 'partner',
            method: 'voidCommission',
            params: { commissionId: '${steps.record_commission.output.commissionId}' },
          },
        },
        {
          name: 'send_welcome_email',
          type: 'service_call',
          description:
            "The tenant is provisioned: an e-mail that cannot be written is recorded (rerun from this step to send it), not a reason to give the seats back. It carries the admin's invitation (a one-time token in the e-mail only).",
          critical: false,
          service: 'communications',
          method: 'sendTemplateEmail',
          params: {
            template: 'partner_customer_welcome',
            recipient: { email: '${steps.create_partner_customer.output.email}', name: '${steps.create_partner_customer.output.name}' },
            invitation: true,
            variables: {
              display_name: '${steps.defaults.output.white_label_config.displayName}',
              customer_name: '${steps.create_partner_customer.output.name}',
              tenant_url: '${steps.provision_partner_tenant.output.tenantUrl}',
              admin_email: '${steps.provision_partner_tenant.output.adminEmail}',
            },
          },
        },
        {
          name: 'notify_requested',
          type: 'condition',
          description: 'Someone besides the customer (the partner, say) asked to be told: notify_email.',
          expression: '$exists(context.notify_email)',
          then: [
            {
              name: 'send_provisioned_email',
              type: 'service_call',
              description: 'Tells notify_email where the workspace is (never the invitation: that is for the admin alone).',
              critical: false,
              service: 'communications',
              method: 'sendTemplateEmail',
              params: {
                template: 'partner_customer_provisioned',
                recipient: '${context.notify_email}',
                variables: {
                  customer_name: '${steps.create_partner_customer.output.name}',
                  tenant_url: '${steps.provision_partner_tenant.output.tenantUrl}',
                  admin_email: '${steps.provision_partner_tenant.output.adminEmail}',
                },
              },
            },
          ],
        },
      ],
    },
  };
}
