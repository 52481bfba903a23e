import { z } from 'zod';
import { IndustryPreset } from '../../entities/domain/industry-preset.entity.js';
import { TaxRate } from '../../entities/domain/tax-rate.entity.js';
import { AppError, type Issue } from '../../errors.js';
import { currency, email, label } from '../shared/schemas.js';
import { defineServiceMethod } from '../registry.js';

export const PLANS = ['starter', 'growth', 'enterprise'] as const;
export type Plan = (typeof PLANS)[number];
export const CHANNELS = ['web', 'mobile', 'email', 'sms', 'whatsapp', 'pos'] as const;
export const PAYMENT_GATEWAYS = ['ledger', 'stripe', 'paystack'] as const;

export const region = z.string().regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, 'a tax region such as DE, GB, AU or US-CA');

/** Seed 003's BusinessActivationInput, as the steps take it (camelCase). */
export const businessInput = z.object({
  businessName: label(100),
  region,
  currency,
  industry: z.string().regex(/^[a-z][a-z_]{1,39}$/),
  channels: z.array(z.enum(CHANNELS)).min(1),
  payments: z.array(z.enum(PAYMENT_GATEWAYS)).min(1),
  adminEmail: email,
  plan: z.enum(PLANS).default('starter'),
});

/**
 * activation.validateInput(businessName, region, currency, industry, channels, payments, adminEmail, plan?)
 *   → {businessName, region, currency, industry, plan, taxLabel, industryLabel}
 *
 * What the input's JSON Schema cannot check (it is checked before the run starts): the region has a tax
 * rate and the industry a preset. VALIDATION with every problem at once (`details.issues`).
 */
export const validateInput = defineServiceMethod({
  service: 'activation',
  method: 'validateInput',
  description: "Checks a business activation's input against the tax rates and the industry presets.",
  effects: 'none',
  input: businessInput,
  output: z.looseObject({
    businessName: z.string(),
    region: z.string(),
    currency: z.string(),
    industry: z.string(),
    plan: z.enum(PLANS),
    taxLabel: z.string(),
    industryLabel: z.string(),
  }),
  async run(ctx, input) {
    const [tax, preset] = await Promise.all([
      ctx.em.findOne(TaxRate, { region: input.region }),
      ctx.em.findOne(IndustryPreset, { industry: input.industry }),
    ]);
    const issues: Issue[] = [];
    if (!tax) issues.push({ path: '$.region', message: `no tax rate for region ${input.region}` });
    if (!preset) issues.push({ path: '$.industry', message: `no preset for industry ${input.industry}` });
    if (!tax || !preset)
      throw new AppError('VALIDATION', issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '), { details: { issues } });
    return {
      businessName: input.businessName,
      region: input.region,
      currency: input.currency,
      industry: input.industry,
      plan: input.plan,
      taxLabel: tax.label,
      industryLabel: preset.label,
    };
  },
});
