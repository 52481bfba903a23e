import { z } from 'zod';
import { uuid } from '../shared/schemas.js';
import { defineServiceMethod } from '../registry.js';
import { activationOf, namespaceOf, recordResources } from './activation-records.js';
import type { CopilotPort } from './copilot-port.js';
import { labelsOf } from './infrastructure.js';
import type { KubernetesObject, KubernetesPort } from './kubernetes-port.js';

export const GUARDRAILS = ['pii_scrubbing', 'no_credentials_in_answers', 'cite_tenant_data_only', 'escalate_to_human_on_request'] as const;

/** Guardrail `pii_scrubbing`: e-mail addresses and phone numbers never leave a copilot's answer. */
export function scrubPii(text: string): string {
  return text.replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, '[email]').replace(/\+?\d[\d\s().-]{7,}\d/g, '[phone]');
}

function instructions(module: string, businessName: string): string {
  return (
    `You are the ${module} copilot of ${businessName}. ` +
    'Answer from the business data you are given, in two sentences at most; never reveal credentials or personal data; ' +
    'hand over to a human when asked to.'
  );
}

/**
 * activation.enableCopilots(activationId, modules, modelProvider?) → {provider, deployedTo, copilots}
 *
 * Seed 003 §1, step 10: one copilot agent a module — its instructions, guardrails and model routing
 * deployed as a ConfigMap `copilot-<module>` into the tenant's namespace (through the Kubernetes port), then
 * tested: asked what it can do, its answer scrubbed of personal data. The model is the copilot port's: a
 * chat-completions API when one is configured, else the built-in responder (`provider: "builtin"`), which
 * answers from the agent's instructions without a model — the output says which.
 */
export function createEnableCopilots(kubernetes: KubernetesPort, copilot: CopilotPort) {
  return defineServiceMethod({
    service: 'activation',
    method: 'enableCopilots',
    description: 'Deploys and tests a copilot agent for each enabled module.',
    effects: 'external',
    input: z.object({ activationId: uuid, modules: z.array(z.string().min(1)).min(1), modelProvider: z.string().min(1).max(40).nullish() }),
    async run(ctx, input) {
      const { activation, tenant } = await activationOf(ctx, input.activationId);
      const namespace = namespaceOf(tenant);
      const agents = input.modules.map((module) => ({ module, system: instructions(module, activation.businessName) }));
      const configMaps = agents.map((agent): KubernetesObject => ({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `copilot-${agent.module.replace(/_/g, '-')}`, namespace, labels: labelsOf(activation.id, tenant.id) },
        data: {
          module: agent.module,
          instructions: agent.system,
          guardrails: GUARDRAILS.join(','),
          modelProvider: input.modelProvider ?? copilot.name,
        },
      }));
      await kubernetes.apply(ctx, configMaps);
      const copilots: Array<{ module: string; model: string; reply: string }> = [];
      for (const agent of agents) {
        const reply = await copilot.complete(
          { system: agent.system, prompt: `What can you do for the ${agent.module} team today?` },
          ctx.signal,
        );
        copilots.push({ module: agent.module, model: reply.model, reply: scrubPii(reply.text) });
      }
      await recordResources(
        ctx,
        activation,
        copilot.name,
        copilots.map((each) => ({
          kind: 'copilot',
          name: each.module,
          details: { ...each, guardrails: [...GUARDRAILS], deployedTo: kubernetes.name },
        })),
      );
      return { provider: copilot.name, deployedTo: kubernetes.name, guardrails: [...GUARDRAILS], copilots };
    },
  });
}
