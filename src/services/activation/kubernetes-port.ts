import type { JsonObject } from '../../entities/json.js';

/** The kinds of object an activation asks a cluster for. */
export type KubernetesKind =
  'Namespace' | 'NetworkPolicy' | 'ResourceQuota' | 'ServiceAccount' | 'RoleBinding' | 'ConfigMap' | 'Certificate';

/** An object as the Kubernetes API takes it (`apiVersion`, `kind`, `metadata`, and its `spec`, `data`, `subjects`…). */
export interface KubernetesObject extends JsonObject {
  apiVersion: string;
  kind: KubernetesKind;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
}

export interface KubernetesCallContext {
  readonly signal: AbortSignal;
}

export interface AppliedObject {
  kind: KubernetesKind;
  name: string;
  /** false: it was there already (a retried step), which is as good. */
  created: boolean;
}

/**
 * Where a business's infrastructure is made: a Kubernetes cluster through its API, or — with none
 * configured — nowhere (`recorded`: the objects are kept as our rows only, and the step's output says so).
 * Creating is idempotent (an object that exists already counts as made); removing a namespace removes
 * everything in it, and one already gone is not an error. Unreachable: EXTERNAL_UNAVAILABLE (retryable).
 */
export interface KubernetesPort {
  /** `kubernetes` or `recorded`: the `provider` of the resources it makes. */
  readonly name: string;
  /** Where it applies, for the output: the API server's origin, or why nothing is applied. */
  readonly target: string;
  apply(ctx: KubernetesCallContext, objects: readonly KubernetesObject[]): Promise<AppliedObject[]>;
  deleteNamespace(ctx: KubernetesCallContext, name: string): Promise<{ deleted: boolean }>;
  /** One object in a namespace; one already gone is not an error. */
  deleteObject(
    ctx: KubernetesCallContext,
    object: { kind: KubernetesKind; name: string; namespace: string },
  ): Promise<{ deleted: boolean }>;
}

/** No cluster configured: nothing is applied anywhere; the activation's rows are the only record. */
export function createRecordedKubernetes(): KubernetesPort {
  return {
    name: 'recorded',
    target: 'no Kubernetes API configured (KUBERNETES_API_URL): the objects are recorded, not applied',
    async apply(_ctx, objects) {
      return objects.map((object) => ({ kind: object.kind, name: object.metadata.name, created: false }));
    },
    async deleteNamespace() {
      return { deleted: false };
    },
    async deleteObject() {
      return { deleted: false };
    },
  };
}
