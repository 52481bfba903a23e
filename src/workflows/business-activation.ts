import { CHANNELS, PAYMENT_GATEWAYS, PLANS } from '../services/activation/activation-input.js';
import { EXTERNAL_RETRY, literal, type BuiltInOptions, type BuiltInWorkflow } from './common.js';

export const BUSINESS_ACTIVATION = 'business_activation';

const activationId = '${steps.create_tenant_identity.output.activationId}';

/** The input as validateInput and createTenantIdentity take it (seed 003's BusinessActivationInput). */
const businessParams = {
  businessName: '${context.business_name}',
  region: '${context.region}',
  currency: '${context.currency}',
  industry: '${context.industry}',
  channels: '${context.channels}',
  payments: '${context.payments}',
  adminEmail: '${context.admin_email}',
  plan: '${steps.defaults.output.plan}',
};

/**
 * Seed 003 §1: a business activated in eleven steps. The input checked (its JSON Schema, before the run
 * starts, then the region's tax rate and the industry's preset) → the tenant identity (tenant, admin
 * invitation, payments webhook secret) → the industry preset merged with the feature toggles →
 * infrastructure through the Kubernetes port (namespace, network policy, quota, service account) →
 * data stores through the database and bucket ports → in parallel: integrations, seed data, DNS records through the DNS port and the certificate → AI copilots per module →
 * the result (endpoints, the admin's invitation; never a password or a key).
 *
 * A failure compensates in reverse: DNS records deleted, buckets deleted and the schema dropped, the namespace deleted with all
 * it holds, the tenant suspended and its secrets stopped. A retry takes the same tenant up again.
 */
export function businessActivation({ tenantId }: BuiltInOptions): BuiltInWorkflow {
  return {
    name: BUSINESS_ACTIVATION,
    revision: 3,
    description: 'Business activation: tenant, preset, Kubernetes namespace, data stores, integrations, seed data, DNS, AI copilots.',
    tags: ['built-in', 'activation', 'tenants'],
    definition: {
      input: {
        type: 'object',
        required: ['business_name', 'region', 'currency', 'industry', 'channels', 'payments', 'admin_email'],
        additionalProperties: false,
        properties: {
          business_name: { type: 'string', minLength: 1, maxLength: 100 },
          region: {
            type: 'string',
            pattern: '^[A-Z]{2}(-[A-Z0-9]{1,3})?$',
            description: 'The tax region: DE, GB, AU, US-CA… (the tax rates table).',
          },
          currency: { type: 'string', pattern: '^[A-Z]{3}$' },
          industry: {
            type: 'string',
            pattern: '^[a-z][a-z_]{1,39}$',
            description: 'An industry preset: ecommerce, healthcare, logistics, education, hospitality, professional_services.',
          },
          channels: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', enum: [...CHANNELS] } },
          payments: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', enum: [...PAYMENT_GATEWAYS] } },
          admin_email: { type: 'string', format: 'email', description: 'Invited by e-mail to choose a password: the tenant admin.' },
          plan: { type: 'string', enum: [...PLANS], description: 'The resource quota; default starter.' },
          features: {
            type: 'object',
            additionalProperties: { type: 'boolean' },
            description: 'Feature toggles: a module → true (add) or false (remove).',
          },
          domain: { type: 'string', format: 'hostname', description: 'The business domain; default <slug>.<tenant domain>.' },
          model_provider: { type: 'string', minLength: 1, maxLength: 40, description: "The copilots' preferred model provider (routing)." },
          tenant_id: { type: 'string', minLength: 1, description: "The acting tenant's id or slug; default: the workflow's tenant." },
        },
      },
      steps: [
        {
          name: 'defaults',
          type: 'transform',
          description: 'The context with the defaults of what it leaves out.',
          expression: `$merge([{ "tenant_id": ${literal(tenantId)}, "plan": "starter", "features": {}, "domain": null, "model_provider": null }, context])`,
        },
        {
          name: 'validate_input',
          type: 'service_call',
          service: 'activation',
          method: 'validateInput',
          params: businessParams,
        },
        {
          name: 'create_tenant_identity',
          type: 'service_call',
          service: 'activation',
          method: 'createTenantIdentity',
          params: { ...businessParams, businessName: '${steps.validate_input.output.businessName}' },
          compensate: { service: 'activation', method: 'suspendTenantIdentity', params: { activationId } },
        },
        {
          name: 'apply_industry_preset',
          type: 'service_call',
          service: 'activation',
          method: 'applyIndustryPreset',
          params: { activationId, industry: '${context.industry}', features: '${steps.defaults.output.features}' },
        },
        {
          name: 'create_namespace',
          type: 'service_call',
          service: 'activation',
          method: 'createNamespace',
          description:
            'Alone, so that its undo (the namespace deleted with all it holds) runs when anything after it fails, provision_infrastructure half-way included.',
          retry: EXTERNAL_RETRY,
          timeoutSeconds: 60,
          params: { activationId, plan: '${steps.validate_input.output.plan}' },
          compensate: { service: 'activation', method: 'removeInfrastructure', params: { activationId } },
        },
        {
          name: 'provision_infrastructure',
          type: 'service_call',
          service: 'activation',
          method: 'provisionInfrastructure',
          retry: EXTERNAL_RETRY,
          timeoutSeconds: 120,
          params: { activationId, plan: '${steps.validate_input.output.plan}', withNamespace: false },
        },
        {
          name: 'setup_data_stores',
          type: 'service_call',
          service: 'activation',
          method: 'setupDataStores',
          retry: EXTERNAL_RETRY,
          timeoutSeconds: 120,
          params: { activationId },
          compensate: { service: 'activation', method: 'removeDataStores', params: { activationId } },
        },
        {
          name: 'configure',
          type: 'parallel',
          branches: [
            [
              {
                name: 'configure_integrations',
                type: 'service_call',
                service: 'activation',
                method: 'configureIntegrations',
                params: { activationId, payments: '${context.payments}', channels: '${context.channels}' },
                compensate: { service: 'activation', method: 'removeResources', params: { activationId, kinds: ['integration'] } },
              },
            ],
            [{ name: 'seed_data', type: 'service_call', service: 'activation', method: 'seedTenantData', params: { activationId } }],
            [
              {
                name: 'configure_dns',
                type: 'service_call',
                service: 'activation',
                method: 'configureDns',
                retry: EXTERNAL_RETRY,
                timeoutSeconds: 120,
                params: { activationId, channels: '${context.channels}', domain: '${steps.defaults.output.domain}' },
                compensate: { service: 'activation', method: 'removeDns', params: { activationId } },
              },
            ],
          ],
        },
        {
          name: 'enable_copilots',
          type: 'service_call',
          service: 'activation',
          method: 'enableCopilots',
          description: 'A quick retry: the model or the cluster away for long fails the activation, which is then undone.',
          retry: { maxAttempts: 3, initialIntervalSeconds: 1, backoffRate: 2, maxDelaySeconds: 5, jitter: 'full' },
          timeoutSeconds: 300,
          params: {
            activationId,
            modules: '${steps.apply_industry_preset.output.modules}',
            modelProvider: '${steps.defaults.output.model_provider}',
          },
        },
        {
          name: 'compile_result',
          type: 'service_call',
          service: 'activation',
          method: 'compileResult',
          params: { activationId, domain: '${steps.configure_dns.output.domain}' },
        },
      ],
      output: '${steps.compile_result.output}',
    },
  };
}
