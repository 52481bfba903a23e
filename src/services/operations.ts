import { activateService } from './billing/activate-service.js';
import { sendTemplateEmail } from './communications/send-template-email.js';
import { getSiteSurvey } from './crm/get-site-survey.js';
import { createDeprovisionDevice } from './genieacs/deprovision-device.js';
import { createGenieAcsClient } from './genieacs/genieacs-client.js';
import { createProvisionDevice } from './genieacs/provision-device.js';
import { createAllocateResources } from './network/allocate-resources.js';
import { createBuiltinIpam } from './network/builtin-ipam.js';
import type { IpamPort } from './network/ipam-port.js';
import { createNetboxIpam } from './network/netbox-ipam.js';
import { createReleaseResources } from './network/release-resources.js';
import { notifyTeam } from './notifications/notify-team.js';
import type { FetchFn } from './shared/external-http.js';
import { createSubscriber } from './radius/create-subscriber.js';
import { deleteSubscriber } from './radius/delete-subscriber.js';
import type { ServiceMethod } from './registry.js';
import { createTicket } from './ticketing/create-ticket.js';
import { cancelInstallation, reopenInstallationRequest, startInstallationRequest } from './ticketing/installation-rollback.js';
import { scheduleInstallation } from './ticketing/schedule-installation.js';

export const DEFAULT_GENIEACS_URL = 'http://localhost:7557';

export type IpamChoice =
  | { kind: 'builtin' }
  /** NetBox's REST API (`https://netbox.example.net`), with an API token; pools name their NetBox prefix. */
  | { kind: 'netbox'; url: string; token: string; timeoutMs?: number; fetch?: FetchFn };

/** What the operations services (communications, notifications, ticketing, network, radius, genieacs) need from outside. */
export interface OperationsServiceDeps {
  /** The GenieACS NBI; default http://localhost:7557. */
  genieacs?: { url?: string; timeoutMs?: number; fetch?: FetchFn };
  /** Where service addresses come from; default our own tables. */
  ipam?: IpamChoice;
}

function ipamFor(choice: IpamChoice | undefined): IpamPort {
  if (!choice || choice.kind === 'builtin') return createBuiltinIpam();
  return createNetboxIpam(choice);
}

/**
 * The operations services' methods, for the registry (compensations included: releaseResources,
 * deleteSubscriber, cancelInstallation, reopenInstallationRequest, deprovisionDevice).
 */
export function createOperationsServiceMethods(deps: OperationsServiceDeps): ServiceMethod[] {
  const ipam = ipamFor(deps.ipam);
  const acs = createGenieAcsClient({
    url: deps.genieacs?.url ?? DEFAULT_GENIEACS_URL,
    timeoutMs: deps.genieacs?.timeoutMs,
    fetch: deps.genieacs?.fetch,
  });
  const methods = [
    sendTemplateEmail,
    notifyTeam,
    createTicket,
    scheduleInstallation,
    cancelInstallation,
    startInstallationRequest,
    reopenInstallationRequest,
    getSiteSurvey,
    createAllocateResources(ipam),
    createReleaseResources(ipam),
    createSubscriber,
    deleteSubscriber,
    createProvisionDevice(acs),
    createDeprovisionDevice(acs),
    activateService,
  ];
  return methods;
}
