import { literal, type BuiltInOptions, type BuiltInWorkflow } from './common.js';

export const LEAD_TO_CUSTOMER_ONBOARDING = 'lead_to_customer_onboarding';

/**
 * A qualified lead becomes a customer with a subscription, a license and a tenant of its own, is welcomed
 * by e-mail, and gets an onboarding ticket (non-critical: a ticketing hiccup must not undo an onboarding).
 * Started through the API or by `lead.qualified`. Every step is a local effect (rows committed with the
 * step), so none needs retries. When a later step fails (the tenant cannot be provisioned, the welcome
 * e-mail cannot be written), the license the run issued is revoked and the subscription it made
 * cancelled, so a customer whose onboarding failed is neither billed nor renewed; the customer (and its
 * converted lead) stays, a retry issues and subscribes again and picks up where the run stopped.
 */
export function leadToCustomerOnboarding({ tenantId }: BuiltInOptions): BuiltInWorkflow {
  return {
    name: LEAD_TO_CUSTOMER_ONBOARDING,
    revision: 2,
    description: 'Lead to customer: customer, subscription, license, tenant, welcome e-mail, onboarding ticket.',
    tags: ['built-in', 'crm', 'onboarding'],
    definition: {
      input: {
        type: 'object',
        required: ['lead_id'],
        additionalProperties: false,
        properties: {
          lead_id: { type: 'string', format: 'uuid', description: 'A qualified lead.' },
          tenant_id: { type: 'string', minLength: 1, description: "The acting tenant's id or slug; default: the workflow's tenant." },
          plan_id: { type: 'string', minLength: 1, description: 'Plan id or code; default basic-monthly.' },
          license_template_id: { type: 'string', minLength: 1, description: 'License template id or code; default standard-license.' },
          deployment_type: { enum: ['shared', 'dedicated'], description: 'Default shared.' },
        },
      },
      triggers: [{ event: 'lead.qualified', context: '{ "lead_id": event.leadId }' }],
      steps: [
        {
          name: 'defaults',
          type: 'transform',
          description: 'The context with the defaults of what it leaves out.',
          expression: `$merge([{ "tenant_id": ${literal(tenantId)}, "plan_id": "basic-monthly", "license_template_id": "standard-license", "deployment_type": "shared" }, context])`,
        },
        {
          name: 'create_customer',
          type: 'service_call',
          service: 'customer',
          method: 'createFromLead',
          params: { leadId: '${context.lead_id}', tenantId: '${steps.defaults.output.tenant_id}' },
        },
        {
          name: 'create_subscription',
          type: 'service_call',
          service: 'billing',
          method: 'createSubscription',
          params: {
            customerId: '${steps.create_customer.output.customerId}',
            planId: '${steps.defaults.output.plan_id}',
            tenantId: '${steps.defaults.output.tenant_id}',
          },
          compensate: {
            service: 'billing',
            method: 'cancelSubscription',
            params: {
              subscriptionId: '${steps.create_subscription.output.subscriptionId}',
              created: '${steps.create_subscription.output.created}',
              reason: 'onboarding of lead ${context.lead_id} failed',
            },
          },
        },
        {
          name: 'issue_license',
          type: 'service_call',
          service: 'license',
          method: 'issueLicense',
          params: {
            customerId: '${steps.create_customer.output.customerId}',
            licenseTemplateId: '${steps.defaults.output.license_template_id}',
            tenantId: '${steps.defaults.output.tenant_id}',
          },
          compensate: {
            service: 'license',
            method: 'revokeLicense',
            params: { licenseId: '${steps.issue_license.output.licenseId}', created: '${steps.issue_license.output.created}' },
          },
        },
        {
          name: 'provision_tenant',
          type: 'service_call',
          service: 'deployment',
          method: 'provisionTenant',
          params: {
            customerId: '${steps.create_customer.output.customerId}',
            licenseKey: '${steps.issue_license.output.licenseKey}',
            deploymentType: '${steps.defaults.output.deployment_type}',
            invitation: 'welcome_email',
          },
        },
        {
          name: 'send_welcome_email',
          type: 'service_call',
          description:
            "The tenant is provisioned: an e-mail that cannot be written is recorded (rerun from this step to send it), not a reason to undo the onboarding. It carries the admin's invitation (a one-time token in the e-mail only).",
          critical: false,
          service: 'communications',
          method: 'sendTemplateEmail',
          params: {
            template: 'customer_welcome',
            recipient: { email: '${steps.create_customer.output.email}', name: '${steps.create_customer.output.name}' },
            invitation: true,
            variables: {
              tenant_name: '${steps.provision_tenant.output.tenantSlug}',
              customer_name: '${steps.create_customer.output.name}',
              tenant_url: '${steps.provision_tenant.output.tenantUrl}',
              license_key: '${steps.issue_license.output.licenseKey}',
              admin_email: '${steps.provision_tenant.output.adminEmail}',
            },
          },
        },
        {
          name: 'create_onboarding_ticket',
          type: 'service_call',
          service: 'ticketing',
          method: 'createTicket',
          critical: false,
          params: {
            title: 'Onboard ${steps.create_customer.output.name}',
            description:
              'New customer from lead ${context.lead_id}: workspace ${steps.provision_tenant.output.tenantUrl}, license ${steps.issue_license.output.licenseKey}.',
            customerId: '${steps.create_customer.output.customerId}',
            priority: 'medium',
            assignedTeam: 'onboarding',
            kind: 'onboarding',
          },
        },
      ],
    },
  };
}
