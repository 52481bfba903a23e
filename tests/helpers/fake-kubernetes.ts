import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeKubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

export interface FakeKubernetes {
  url: string;
  token: string;
  /** Objects by their path: `/api/v1/namespaces/tenant-x`, `/api/v1/namespaces/tenant-x/resourcequotas/tenant-quota`… */
  objects: Map<string, FakeKubernetesObject>;
  requests: Array<{ method: string; path: string }>;
  /** The namespaces that exist, by name. */
  namespaces(): string[];
  /** Objects in a namespace, as `Kind/name`. */
  inNamespace(namespace: string): string[];
  /** The next `count` requests answer 503, as an API server behind a failing load balancer does. */
  failNext(count: number): void;
  /** While true, a deleted namespace stays `Terminating` (as one with finalizers does) until finishTermination(). */
  holdTermination: boolean;
  finishTermination(): void;
  /**
   * The next `count` requests whose path matches answer 503; others are answered. With 403: refused as
   * RBAC refuses a token without the right to that resource (`Forbidden`).
   */
  failMatching(path: RegExp, count: number, code?: 503 | 403): void;
  stop(): Promise<void>;
}

const KINDS: Record<string, string> = {
  namespaces: 'Namespace',
  resourcequotas: 'ResourceQuota',
  serviceaccounts: 'ServiceAccount',
  configmaps: 'ConfigMap',
  networkpolicies: 'NetworkPolicy',
  rolebindings: 'RoleBinding',
  // cert-manager's custom resource, as a cluster with cert-manager installed serves it.
  certificates: 'Certificate',
};

/**
 * The parts of the Kubernetes API business_activation uses, as an API server answers them: `POST` to a
 * collection (`/api/v1/namespaces`, `/api/v1/namespaces/<ns>/resourcequotas`,
 * `/apis/networking.k8s.io/v1/namespaces/<ns>/networkpolicies`, `/apis/rbac.authorization.k8s.io/v1/…/rolebindings`…)
 * answers 201 with the object, 409 `AlreadyExists` (a `Status`) when it exists, 404 `NotFound` when its
 * namespace does not, 422 `Invalid` when the body's kind or name is wrong; `GET` and `DELETE` of a
 * namespace (deleting what it holds), `DELETE` of an object in one; cert-manager's `Certificate`s
 * (`/apis/cert-manager.io/v1/namespaces/<ns>/certificates`); a bearer token, 401 otherwise.
 */
export async function startFakeKubernetes(token = 'fake-cluster-token'): Promise<FakeKubernetes> {
  const objects = new Map<string, FakeKubernetesObject>();
  const requests: FakeKubernetes['requests'] = [];
  let failing = 0;
  let failingPath: { path: RegExp; count: number; code: 503 | 403 } | undefined;
  const terminating = new Set<string>();
  const removeNamespace = (name: string) => {
    for (const key of [...objects.keys()])
      if (key === `/api/v1/namespaces/${name}` || key.includes(`/namespaces/${name}/`)) objects.delete(key);
  };

  const status = (code: number, reason: string, message: string) => ({
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    code,
    reason,
    message,
  });

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      const method = req.method ?? '';
      requests.push({ method, path });
      const send = (code: number, body: unknown) => {
        res.writeHead(code, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const matching = failingPath && failingPath.count > 0 && failingPath.path.test(path);
      if (failing > 0 || matching) {
        if (matching && failingPath) failingPath.count -= 1;
        else failing -= 1;
        if (matching && failingPath?.code === 403)
          send(
            403,
            status(
              403,
              'Forbidden',
              `${path.split('/').pop() ?? ''} is forbidden: User "system:serviceaccount:switchyard:activator" cannot create resource`,
            ),
          );
        else send(503, status(503, 'ServiceUnavailable', 'the server is currently unable to handle the request'));
        return;
      }
      if (req.headers.authorization !== `Bearer ${token}`) {
        send(401, status(401, 'Unauthorized', 'Unauthorized'));
        return;
      }
      const match = /^(?:\/api\/v1|\/apis\/[a-z0-9.-]+\/v1)(?:\/namespaces\/([a-z0-9-]+))?\/([a-z]+)(?:\/([a-z0-9.-]+))?$/.exec(path);
      const namespaceOnly = /^\/api\/v1\/namespaces\/([a-z0-9-]+)$/.exec(path);
      if (namespaceOnly && (method === 'GET' || method === 'DELETE')) {
        const name = namespaceOnly[1] ?? '';
        const existing = objects.get(path);
        if (!existing) {
          send(404, status(404, 'NotFound', `namespaces "${name}" not found`));
          return;
        }
        if (method === 'DELETE') {
          if (fake.holdTermination) terminating.add(name);
          else removeNamespace(name);
          send(200, { ...existing, status: { phase: 'Terminating' } });
          return;
        }
        send(200, { ...existing, status: { phase: terminating.has(name) ? 'Terminating' : 'Active' } });
        return;
      }
      if (match?.[1] && match[3] && method === 'DELETE') {
        const existing = objects.get(path);
        if (existing) objects.delete(path);
        if (existing) send(200, { kind: 'Status', apiVersion: 'v1', status: 'Success', details: { name: match[3], kind: match[2] } });
        else send(404, status(404, 'NotFound', `${match[2] ?? ''} "${match[3]}" not found`));
        return;
      }
      if (!match || method !== 'POST' || match[3]) {
        send(404, status(404, 'NotFound', `the server could not find the requested resource (${method} ${path})`));
        return;
      }
      const [, namespace, plural = ''] = match;
      const kind = KINDS[plural];
      let object: FakeKubernetesObject;
      try {
        object = JSON.parse(Buffer.concat(chunks).toString('utf8')) as FakeKubernetesObject;
      } catch {
        send(400, status(400, 'BadRequest', 'the body is not JSON'));
        return;
      }
      if (!kind || object.kind !== kind || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(object.metadata?.name ?? '')) {
        send(422, status(422, 'Invalid', `${object.kind} is invalid: metadata.name or kind`));
        return;
      }
      if (namespace && terminating.has(namespace)) {
        send(403, status(403, 'Forbidden', `unable to create new content in namespace ${namespace} because it is being terminated`));
        return;
      }
      if (namespace && !objects.has(`/api/v1/namespaces/${namespace}`)) {
        send(404, status(404, 'NotFound', `namespaces "${namespace}" not found`));
        return;
      }
      const key = `${path}/${object.metadata.name}`;
      if (objects.has(key)) {
        send(409, status(409, 'AlreadyExists', `${plural} "${object.metadata.name}" already exists`));
        return;
      }
      objects.set(key, object);
      send(201, object);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const fake: FakeKubernetes = {
    url: `http://127.0.0.1:${port}`,
    token,
    objects,
    requests,
    namespaces: () => [...objects.values()].filter((object) => object.kind === 'Namespace').map((object) => object.metadata.name),
    inNamespace: (namespace) =>
      [...objects.values()]
        .filter((object) => object.metadata.namespace === namespace)
        .map((object) => `${object.kind}/${object.metadata.name}`)
        .sort(),
    failNext(count) {
      failing = count;
    },
    failMatching(path, count, code = 503) {
      failingPath = { path, count, code };
    },
    holdTermination: false,
    finishTermination() {
      for (const name of terminating) removeNamespace(name);
      terminating.clear();
    },
    stop: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
  return fake;
}
