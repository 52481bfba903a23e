import { z } from 'zod';
import { AppError } from '../../errors.js';
import { jsonApi, parseJson, type ExternalResponse, type FetchFn } from '../shared/external-http.js';
import type { AppliedObject, KubernetesCallContext, KubernetesKind, KubernetesObject, KubernetesPort } from './kubernetes-port.js';

export interface KubernetesHttpOptions {
  /** The API server, e.g. https://kubernetes.default.svc or https://10.0.0.1:6443. */
  url: string;
  /** A bearer token (a service account's) allowed to create namespaces and their objects. */
  token: string;
  fetch?: FetchFn;
  timeoutMs?: number;
}

/** The REST collection of each kind (core group `/api/v1`, others `/apis/<group>/<version>`). */
const COLLECTIONS: Record<KubernetesKind, { group: string; plural: string; namespaced: boolean }> = {
  Namespace: { group: '/api/v1', plural: 'namespaces', namespaced: false },
  ResourceQuota: { group: '/api/v1', plural: 'resourcequotas', namespaced: true },
  ServiceAccount: { group: '/api/v1', plural: 'serviceaccounts', namespaced: true },
  ConfigMap: { group: '/api/v1', plural: 'configmaps', namespaced: true },
  NetworkPolicy: { group: '/apis/networking.k8s.io/v1', plural: 'networkpolicies', namespaced: true },
  RoleBinding: { group: '/apis/rbac.authorization.k8s.io/v1', plural: 'rolebindings', namespaced: true },
  // cert-manager's custom resource: the cluster needs cert-manager installed.
  Certificate: { group: '/apis/cert-manager.io/v1', plural: 'certificates', namespaced: true },
};

/** The API's error body (`kind: Status`). */
const status = z.looseObject({ kind: z.literal('Status').optional(), reason: z.string().optional(), message: z.string().optional() });
const namespaceBody = z.looseObject({ status: z.looseObject({ phase: z.string().optional() }).optional() });

function collectionPath(object: Pick<KubernetesObject, 'kind' | 'metadata'>): string {
  const collection = COLLECTIONS[object.kind];
  if (!collection.namespaced) return `${collection.group}/${collection.plural}`;
  const namespace = object.metadata.namespace;
  if (!namespace) throw new AppError('VALIDATION', `a ${object.kind} needs metadata.namespace`);
  return `${collection.group}/namespaces/${encodeURIComponent(namespace)}/${collection.plural}`;
}

/**
 * The Kubernetes API over HTTP, as kubectl speaks it: `POST` of each object to its collection
 * (`/api/v1/namespaces`, `/apis/networking.k8s.io/v1/namespaces/<ns>/networkpolicies`…) with a bearer
 * token; `409 AlreadyExists` is an object made by an earlier attempt, so a retried step applies nothing
 * twice; `DELETE /api/v1/namespaces/<name>` removes a namespace and what it holds, `DELETE <collection>/<name>`
 * one object (404: gone already).
 * A namespace still terminating after a removal answers its re-creation with 409: that is retryable
 * (EXTERNAL_UNAVAILABLE) until it is gone. 401/403 are a token it refuses (not retried); 422 an object
 * it refuses (VALIDATION); unreachable, timed out or 5xx, EXTERNAL_UNAVAILABLE (retried).
 */
export function createKubernetesHttp(options: KubernetesHttpOptions): KubernetesPort {
  const api = jsonApi({
    system: 'Kubernetes',
    url: options.url,
    headers: { Authorization: `Bearer ${options.token}` },
    fetch: options.fetch,
    timeoutMs: options.timeoutMs,
  });
  const call = (ctx: KubernetesCallContext, method: string, path: string, body?: KubernetesObject) => api(method, path, ctx.signal, body);

  async function create(ctx: KubernetesCallContext, object: KubernetesObject): Promise<AppliedObject> {
    const answer = await call(ctx, 'POST', collectionPath(object), object);
    const applied = { kind: object.kind, name: object.metadata.name };
    if (answer.status === 201 || answer.status === 200 || answer.status === 202) return { ...applied, created: true };
    refuseCredentials(answer);
    if (answer.status === 409) {
      if (object.kind === 'Namespace') await assertNotTerminating(ctx, object.metadata.name);
      return { ...applied, created: false };
    }
    throw refusal(`POST ${object.kind} ${object.metadata.name}`, answer);
  }

  async function assertNotTerminating(ctx: KubernetesCallContext, name: string): Promise<void> {
    const found = await call(ctx, 'GET', `/api/v1/namespaces/${encodeURIComponent(name)}`);
    if (found.status !== 200) return;
    const phase = namespaceBody.safeParse(parseJson('Kubernetes', found.text)).data?.status?.phase;
    if (phase === 'Terminating')
      throw new AppError('EXTERNAL_UNAVAILABLE', `Kubernetes namespace ${name} is still terminating after its removal`, {
        details: { namespace: name },
      });
  }

  return {
    name: 'kubernetes',
    target: new URL(options.url).origin,
    async apply(ctx, objects) {
      const applied: AppliedObject[] = [];
      // In order: the namespace before what it holds.
      for (const object of objects) applied.push(await create(ctx, object));
      return applied;
    },
    deleteNamespace: (ctx, name) => remove(ctx, `/api/v1/namespaces/${encodeURIComponent(name)}`, `namespace ${name}`),
    deleteObject: (ctx, { kind, name, namespace }) =>
      remove(ctx, `${collectionPath({ kind, metadata: { name, namespace } })}/${encodeURIComponent(name)}`, `${kind} ${name}`),
  };

  async function remove(ctx: KubernetesCallContext, path: string, what: string): Promise<{ deleted: boolean }> {
    const answer = await call(ctx, 'DELETE', path);
    if (answer.status === 200 || answer.status === 202) return { deleted: true };
    if (answer.status === 404) return { deleted: false };
    refuseCredentials(answer);
    throw refusal(`DELETE ${what}`, answer);
  }
}

function refuseCredentials(answer: ExternalResponse): void {
  if (answer.status === 401 || answer.status === 403) {
    throw new AppError('EXTERNAL_UNAVAILABLE', `Kubernetes refused the token (${answer.status}): ${messageOf(answer)}`, {
      retryable: false,
      details: { status: answer.status },
    });
  }
}

function refusal(what: string, answer: ExternalResponse): AppError {
  const code = answer.status === 422 || answer.status === 400 ? 'VALIDATION' : 'EXTERNAL_UNAVAILABLE';
  return new AppError(code, `Kubernetes answered ${answer.status} to ${what}: ${messageOf(answer)}`, {
    retryable: false,
    details: { status: answer.status },
  });
}

function messageOf(answer: ExternalResponse): string {
  try {
    const parsed = status.safeParse(JSON.parse(answer.text));
    if (parsed.success && parsed.data.message) return parsed.data.message.slice(0, 300);
  } catch {
    // Not a Status body: its start says enough.
  }
  return answer.text.slice(0, 200);
}
