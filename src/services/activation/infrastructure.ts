import { z } from 'zod';
import type { ActivationResourceKind } from '../../entities/domain/activation-resource.entity.js';
import { uuid } from '../commercial/schemas.js';
import { defineServiceMethod } from '../registry.js';
import { PLANS } from './activation-input.js';
import { activationOf, namespaceOf, recordResources, retireResources, type ResourceSpec } from './activation-records.js';
import type { KubernetesKind, KubernetesPort } from './kubernetes-port.js';
import { infrastructureManifests } from './manifests.js';

const KIND_OF: Record<KubernetesKind, ActivationResourceKind> = {
  Namespace: 'namespace',
  NetworkPolicy: 'network_policy',
  ResourceQuota: 'resource_quota',
  ServiceAccount: 'service_account',
  RoleBinding: 'role_binding',
  ConfigMap: 'copilot',
};

/** What removing the namespace takes with it. */
export const NAMESPACED_KINDS: readonly ActivationResourceKind[] = ['namespace', 'network_policy', 'resource_quota', 'service_account', 'role_binding', 'copilot'];

export function labelsOf(activationId: string, tenantId: string): Record<string, string> {
  return { 'app.kubernetes.io/managed-by': 'switchyard', 'switchyard.io/activation': activationId, 'switchyard.io/tenant': tenantId };
}

/**
 * activation.provisionInfrastructure(activationId, plan) → {namespace, provider, target, applied, objects}
 *
 * The business's namespace `tenant-<slug>`, its network policy, the plan's resource quota, its service
 * account and role binding, through the Kubernetes port (the API server, or — none configured — only
 * recorded: `applied: false`). Idempotent: what exists already counts as made.
 */
export function createProvisionInfrastructure(kubernetes: KubernetesPort) {
  return defineServiceMethod({
    service: 'activation',
    method: 'provisionInfrastructure',
    description: "Creates the business's Kubernetes namespace, network policy, resource quota and service account.",
    effects: 'external',
    input: z.object({ activationId: uuid, plan: z.enum(PLANS) }),
    async run(ctx, input) {
      const { activation, tenant } = await activationOf(ctx, input.activationId);
      const namespace = namespaceOf(tenant);
      const manifests = infrastructureManifests(namespace, input.plan, labelsOf(activation.id, tenant.id));
      const objects = await kubernetes.apply(ctx, manifests);
      const specs: ResourceSpec[] = manifests.map((manifest) => ({ kind: KIND_OF[manifest.kind], name: manifest.metadata.name, details: { manifest } }));
      await recordResources(ctx, activation, kubernetes.name, specs);
      return { namespace, provider: kubernetes.name, target: kubernetes.target, applied: kubernetes.name !== 'recorded', objects: objects.map((object) => ({ ...object })) };
    },
  });
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
