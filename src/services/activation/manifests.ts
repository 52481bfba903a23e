import type { Plan } from './activation-input.js';
import type { KubernetesObject } from './kubernetes-port.js';

/** What each plan may use in its namespace (requests; limits are the same). */
export const PLAN_QUOTAS: Readonly<Record<Plan, { cpu: string; memory: string; pods: string }>> = {
  starter: { cpu: '2', memory: '4Gi', pods: '20' },
  growth: { cpu: '8', memory: '16Gi', pods: '80' },
  enterprise: { cpu: '32', memory: '64Gi', pods: '300' },
};

export const SERVICE_ACCOUNT = 'tenant-app';

/**
 * A business's namespace and what isolates it (seed 003 §1, step 4): the namespace, a network policy that
 * lets in only its own pods (and the ingress controller's namespace), the plan's resource quota, and a
 * service account bound to the cluster's `edit` role inside the namespace only.
 */
export function infrastructureManifests(namespace: string, plan: Plan, labels: Record<string, string>): KubernetesObject[] {
  const quota = PLAN_QUOTAS[plan];
  const metadata = (name: string) => ({ name, namespace, labels });
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels } },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: metadata('tenant-isolation'),
      spec: {
        podSelector: {},
        policyTypes: ['Ingress'],
        ingress: [
          { from: [{ podSelector: {} }, { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }] },
        ],
      },
    },
    {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: metadata('tenant-quota'),
      spec: {
        hard: {
          'requests.cpu': quota.cpu,
          'limits.cpu': quota.cpu,
          'requests.memory': quota.memory,
          'limits.memory': quota.memory,
          pods: quota.pods,
        },
      },
    },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: metadata(SERVICE_ACCOUNT) },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: metadata(`${SERVICE_ACCOUNT}-edit`),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
      subjects: [{ kind: 'ServiceAccount', name: SERVICE_ACCOUNT, namespace }],
    },
  ];
}
