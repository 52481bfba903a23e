import { z } from 'zod';
import { BusinessActivation } from '../../entities/domain/business-activation.entity.js';
import { IndustryPreset } from '../../entities/domain/industry-preset.entity.js';
import { uuid } from '../shared/schemas.js';
import { findInTenantOrFail } from '../shared/scope.js';
import { defineServiceMethod } from '../registry.js';

const moduleName = z.string().regex(/^[a-z][a-z0-9_]{1,39}$/);

/** The preset's modules, then each toggle: true adds a module, false takes one away. In a stable order. */
export function mergeModules(preset: readonly string[], toggles: Readonly<Record<string, boolean>>): string[] {
  const modules = new Set(preset);
  for (const [name, on] of Object.entries(toggles)) {
    if (on) modules.add(name);
    else modules.delete(name);
  }
  return [...modules].sort();
}

/**
 * activation.applyIndustryPreset(activationId, industry, features?) → {industry, preset, modules, added, removed}
 *
 * The industry's preset merged with the input's feature toggles (`{ "telehealth": false, "loyalty": true }`):
 * the modules the business gets, kept on the activation.
 */
export const applyIndustryPreset = defineServiceMethod({
  service: 'activation',
  method: 'applyIndustryPreset',
  description: "Merges the industry's preset modules with the feature toggles.",
  effects: 'local',
  output: z.looseObject({
    industry: z.string(),
    preset: z.array(z.string()),
    modules: z.array(z.string()),
    added: z.array(z.string()),
    removed: z.array(z.string()),
  }),
  input: z.object({ activationId: uuid, industry: z.string().min(1), features: z.record(moduleName, z.boolean()).default({}) }),
  async run(ctx, input) {
    const activation = await findInTenantOrFail(
      ctx.em,
      BusinessActivation,
      { id: input.activationId, tenant: ctx.tenantId },
      `activation ${input.activationId}`,
    );
    const preset = await findInTenantOrFail(ctx.em, IndustryPreset, { industry: input.industry }, `industry preset ${input.industry}`);
    const modules = mergeModules(preset.modules, input.features);
    activation.modules = modules;
    await ctx.em.flush();
    return {
      industry: preset.industry,
      preset: preset.modules,
      modules,
      added: modules.filter((name) => !preset.modules.includes(name)),
      removed: preset.modules.filter((name) => !modules.includes(name)),
    };
  },
});
