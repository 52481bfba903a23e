import type { BusinessActivation } from '../../entities/domain/business-activation.entity.js';
import { ActivationResource } from '../../entities/domain/activation-resource.entity.js';
import type { JsonObject } from '../../entities/json.js';
import type { Tenant } from '../../entities/tenant.entity.js';
import type { ServiceCallContext } from '../registry.js';
import { namespaceOf, recordResources } from './activation-records.js';
import { RECORDED } from './data-store-ports.js';
import { labelsOf } from './infrastructure.js';
import type { KubernetesObject, KubernetesPort } from './kubernetes-port.js';

/** The cert-manager issuer that signs the businesses' certificates (CERT_MANAGER_ISSUER). */
export interface CertificateIssuer {
  kind: 'ClusterIssuer' | 'Issuer';
  name: string;
}

/** The Certificate object and the Secret cert-manager writes the key pair to, in the business's namespace. */
export const CERTIFICATE_NAME = 'tenant-tls';

export function certificateManifest(
  namespace: string,
  names: string[],
  issuer: CertificateIssuer,
  labels: Record<string, string>,
): KubernetesObject {
  return {
    apiVersion: 'cert-manager.io/v1',
    kind: 'Certificate',
    metadata: { name: CERTIFICATE_NAME, namespace, labels },
    spec: {
      secretName: CERTIFICATE_NAME,
      dnsNames: names,
      issuerRef: { group: 'cert-manager.io', kind: issuer.kind, name: issuer.name },
    },
  };
}

/**
 * The business's TLS certificate for its names: with a cluster and an issuer configured, a cert-manager
 * `Certificate` in its namespace (`409 AlreadyExists` counts as made), which cert-manager then has signed
 * (an ACME order once the names resolve) into the Secret `tenant-tls` — `issued` stays false here, as the
 * signature comes later, outside the run; otherwise recorded only. Made before the DNS records, so a
 * failure of those leaves nothing the namespace's own undo does not take away.
 */
export async function requestCertificate(
  ctx: ServiceCallContext,
  kubernetes: KubernetesPort,
  issuer: CertificateIssuer | undefined,
  at: { activation: BusinessActivation; tenant: Tenant; domain: string; names: string[] },
): Promise<JsonObject> {
  const namespace = namespaceOf(at.tenant);
  const issuerName = issuer ? `${issuer.kind}/${issuer.name}` : null;
  if (!issuer || kubernetes.name === RECORDED) {
    await recordResources(ctx, at.activation, RECORDED, [{ kind: 'certificate', name: at.domain, details: { names: at.names } }]);
    return {
      provider: RECORDED,
      applied: false,
      reason: issuer ? 'no Kubernetes API configured (KUBERNETES_API_URL)' : 'no cert-manager issuer configured (CERT_MANAGER_ISSUER)',
      names: at.names,
      issued: false,
    };
  }
  const manifest = certificateManifest(namespace, at.names, issuer, labelsOf(at.activation.id, at.tenant.id));
  const [applied] = await kubernetes.apply(ctx, [manifest]);
  await recordResources(ctx, at.activation, kubernetes.name, [{ kind: 'certificate', name: at.domain, details: { manifest } }]);
  return {
    provider: 'cert-manager',
    applied: true,
    created: applied?.created ?? false,
    namespace,
    name: CERTIFICATE_NAME,
    secretName: CERTIFICATE_NAME,
    issuer: issuerName,
    names: at.names,
    issued: false,
  };
}

/** The undo: the Certificate deleted when one was made (the Secret cert-manager wrote goes with the namespace). */
export async function removeCertificate(
  ctx: ServiceCallContext,
  kubernetes: KubernetesPort,
  activation: BusinessActivation,
  tenant: Tenant,
) {
  const made = await ctx.em.count(ActivationResource, {
    activation,
    kind: 'certificate',
    status: 'provisioned',
    provider: kubernetes.name,
  });
  if (made === 0 || kubernetes.name === RECORDED) return false;
  return (await kubernetes.deleteObject(ctx, { kind: 'Certificate', name: CERTIFICATE_NAME, namespace: namespaceOf(tenant) })).deleted;
}
