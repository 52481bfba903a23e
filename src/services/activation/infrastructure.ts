import { z } from 'zod';
import type { ActivationResourceKind } from '../../entities/domain/activation-resource.entity.js';
import { uuid } from '../shared/schemas.js';
import { defineServiceMethod, type ServiceCallContext } from '../registry.js';
import { PLANS, type Plan } from './activation-input.js';
import { activationOf, namespaceOf, recordResources, retireResources, type ResourceSpec } from './activation-records.js';
import type { KubernetesKind, KubernetesObject, KubernetesPort } from './kubernetes-port.js';
import { infrastructureManifests } from './manifests.js';

const KIND_OF: Record<KubernetesKind, ActivationResourceKind> = {
  Namespace: 'namespace',
  NetworkPolicy: 'network_policy',
  ResourceQuota: 'resource_quota',
  ServiceAccount: 'service_account',
  RoleBinding: 'role_binding',
  ConfigMap: 'copilot',
  Certificate: 'certificate',
};

/** What removing the namespace takes with it. */
export const NAMESPACED_KINDS: readonly ActivationResourceKind[] = [
  'namespace',
  'network_policy',
  'resource_quota',
  'service_account',
  'role_binding',
  'copilot',
  'certificate',
];

export function labelsOf(activationId: string, tenantId: string): Record<string, string> {
  return { 'app.kubernetes.io/managed-by': 'switchyard', 'switchyard.io/activation': activationId, 'switchyard.io/tenant': tenantId };
}

/**
 * activation.createNamespace(activationId, plan) → {namespace, provider, target, applied, objects}
 *
 * The business's namespace `tenant-<slug>` alone, through the Kubernetes port — its own step, so that its
 * undo (removeInfrastructure: the namespace deleted with all it holds) runs whenever anything after it
 * fails, the provisioning of what goes inside it included, half-way or not.
 */
export function createCreateNamespace(kubernetes: KubernetesPort) {
  return defineServiceMethod({
    service: 'activation',
    method: 'createNamespace',
    description: "Creates the business's Kubernetes namespace.",
    effects: 'external',
    input: z.object({ activationId: uuid, plan: z.enum(PLANS) }),
    run: (ctx, input) => applyInfrastructure(kubernetes, ctx, input, (manifest) => manifest.kind === 'Namespace'),
  });
}

/**
 * activation.provisionInfrastructure(activationId, plan, withNamespace = true) → {namespace, provider, target, applied, objects}
 *
 * In the business's namespace `tenant-<slug>` its network policy, the plan's resource quota, its service
 * account and role binding — and the namespace first unless `withNamespace: false` (createNamespace made
 * it; a run of an earlier definition has no such step) — through the Kubernetes port (the API server, or
 * — none configured — only recorded: `applied: false`). Idempotent: what exists already counts as made.
 */
export function createProvisionInfrastructure(kubernetes: KubernetesPort) {
  return defineServiceMethod({
    service: 'activation',
    method: 'provisionInfrastructure',
    description: "Creates the business's Kubernetes namespace, network policy, resource quota and service account.",
    effects: 'external',
    input: z.object({ activationId: uuid, plan: z.enum(PLANS), withNamespace: z.boolean().default(true) }),
    run: (ctx, input) => applyInfrastructure(kubernetes, ctx, input, (manifest) => input.withNamespace || manifest.kind !== 'Namespace'),
  });
}

async function applyInfrastructure(
  kubernetes: KubernetesPort,
  ctx: ServiceCallContext,
  input: { activationId: string; plan: Plan },
  wanted: (manifest: KubernetesObject) => boolean,
) {
  const { activation, tenant } = await activationOf(ctx, input.activationId);
  const namespace = namespaceOf(tenant);
  const manifests = infrastructureManifests(namespace, input.plan, labelsOf(activation.id, tenant.id)).filter(wanted);
  const objects = await kubernetes.apply(ctx, manifests);
  const specs: ResourceSpec[] = manifests.map((manifest) => ({
    kind: KIND_OF[manifest.kind],
    name: manifest.metadata.name,
    details: { manifest },
  }));
  await recordResources(ctx, activation, kubernetes.name, specs);
  return {
    namespace,
    provider: kubernetes.name,
    target: kubernetes.target,
    applied: kubernetes.name !== 'recorded',
    objects: objects.map((object) => ({ ...object })),
  };
}

/**
 * activation.removeInfrastructure(activationId) → {namespace, deleted, removed}
 *
 * The undo of provisionInfrastructure (and of the copilots deployed into the namespace): the namespace
 * deleted, with everything in it; one already gone is not an error.
 */
export function createRemoveInfrastructure(kubernetes: KubernetesPort) {
  return defineServiceMethod({
    service: 'activation',
    method: 'removeInfrastructure',
    description: "Deletes the business's Kubernetes namespace and all it holds.",
    effects: 'external',
    input: z.object({ activationId: uuid }),
    async run(ctx, input) {
      const { activation, tenant } = await activationOf(ctx, input.activationId);
      const namespace = namespaceOf(tenant);
      const { deleted } = await kubernetes.deleteNamespace(ctx, namespace);
      const removed = await retireResources(ctx, activation, NAMESPACED_KINDS);
      return { namespace, deleted, removed };
    },
  });
}
