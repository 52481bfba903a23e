import { COLLISION_RETRY, EXTERNAL_RETRY, dayFromNow, type BuiltInOptions, type BuiltInWorkflow } from './common.js';

export const ISP_TICKET_TO_DEPLOYMENT = 'isp_ticket_to_deployment';

/**
 * An approved installation becomes a live internet service: from the customer's completed site survey,
 * a technician is booked, an address and a VLAN are allocated at the survey's point of presence, the
 * RADIUS subscriber is created, the CPE is configured through GenieACS (retried with backoff while the
 * ACS is unavailable), the service is activated (billing starts) and the customer told.
 *
 * Compensation: when a later step fails, the CPE's provisioning is retired (its tags at the ACS: a retry
 * pushes the new credentials), the RADIUS subscriber is deleted, the address and VLAN
 * released, the booked installation closed with its technician's appointment cancelled, and the approved
 * request (when the run has one) reopened with a note saying the installation failed — in that order, so
 * a failed installation holds no pool resources and no technician, and its request is visibly back in
 * the queue. A retry of the run redoes each of those steps (see docs/compensation.md).
 *
 * Started by `ticket.installation_approved` or the API.
 */
export function ispTicketToDeployment(_options: BuiltInOptions): BuiltInWorkflow {
  return {
    name: ISP_TICKET_TO_DEPLOYMENT,
    revision: 2,
    description: 'ISP installation: site survey, technician, IP and VLAN, RADIUS, CPE via GenieACS, activation, e-mail.',
    tags: ['built-in', 'isp', 'network'],
    definition: {
      input: {
        type: 'object',
        required: ['customer_id'],
        additionalProperties: false,
        properties: {
          customer_id: { type: 'string', format: 'uuid', description: 'A customer with a completed site survey.' },
          ticket_id: { type: 'string', format: 'uuid', description: 'The approved installation request, when there is one.' },
          scheduled_date: { type: 'string', format: 'date', description: 'Installation day (YYYY-MM-DD); default tomorrow.' },
        },
      },
      triggers: [
        {
          event: 'ticket.installation_approved',
          context: '{ "customer_id": event.customerId, "ticket_id": event.ticketId, "scheduled_date": event.scheduledDate }',
        },
      ],
      steps: [
        {
          name: 'defaults',
          type: 'transform',
          description: 'The context with the defaults of what it leaves out.',
          expression: `$merge([{ "scheduled_date": ${dayFromNow(1)} }, context])`,
        },
        {
          name: 'start_request',
          type: 'service_call',
          description: 'The approved request is in progress while this run installs it; reopened with a note if the run fails.',
          when: '$exists(context.ticket_id)',
          service: 'ticketing',
          method: 'startInstallationRequest',
          params: { ticketId: '${context.ticket_id}', customerId: '${context.customer_id}' },
          compensate: {
            service: 'ticketing',
            method: 'reopenInstallationRequest',
            params: { ticketId: '${context.ticket_id}' },
          },
        },
        {
          name: 'get_site_survey',
          type: 'service_call',
          service: 'crm',
          method: 'getSiteSurvey',
          params: { customerId: '${context.customer_id}' },
        },
        {
          name: 'get_customer',
          type: 'service_call',
          service: 'customer',
          method: 'getCustomer',
          params: { customerId: '${context.customer_id}' },
        },
        {
          name: 'schedule_installation',
          type: 'service_call',
          service: 'ticketing',
          method: 'scheduleInstallation',
          params: {
            customerId: '${context.customer_id}',
            installationAddress: '${steps.get_site_survey.output.address}',
            scheduledDate: '${steps.defaults.output.scheduled_date}',
            priority: 'medium',
          },
          compensate: {
            service: 'ticketing',
            method: 'cancelInstallation',
            params: { ticketId: '${steps.schedule_installation.output.ticketId}' },
          },
        },
        {
          name: 'allocate_resources',
          type: 'service_call',
          service: 'network',
          method: 'allocateResources',
          retry: COLLISION_RETRY,
          timeoutSeconds: 30,
          params: {
            customerId: '${context.customer_id}',
            serviceLocation: '${steps.get_site_survey.output.serviceLocation}',
            bandwidthPlan: '${steps.get_site_survey.output.recommendedBandwidth}',
          },
          compensate: {
            service: 'network',
            method: 'releaseResources',
            params: { serviceId: '${steps.allocate_resources.output.serviceId}' },
          },
        },
        {
          name: 'create_radius_subscriber',
          type: 'service_call',
          service: 'radius',
          method: 'createSubscriber',
          params: {
            customerId: '${context.customer_id}',
            username: '${steps.allocate_resources.output.username}',
            bandwidthProfile: '${steps.get_site_survey.output.recommendedBandwidth}',
          },
          compensate: {
            service: 'radius',
            method: 'deleteSubscriber',
            params: { username: '${steps.create_radius_subscriber.output.username}' },
          },
        },
        {
          name: 'provision_cpe',
          type: 'service_call',
          service: 'genieacs',
          method: 'provisionDevice',
          retry: EXTERNAL_RETRY,
          timeoutSeconds: 60,
          params: {
            customerId: '${context.customer_id}',
            deviceSerial: '${steps.get_site_survey.output.cpeSerial}',
            configTemplate: {
              pppoeUsername: '${steps.create_radius_subscriber.output.username}',
              pppoePassword: '${steps.create_radius_subscriber.output.password}',
            },
          },
          compensate: {
            service: 'genieacs',
            method: 'deprovisionDevice',
            params: { deviceSerial: '${steps.get_site_survey.output.cpeSerial}' },
          },
        },
        {
          name: 'activate_service',
          type: 'service_call',
          service: 'billing',
          method: 'activateService',
          params: { customerId: '${context.customer_id}', serviceId: '${steps.allocate_resources.output.serviceId}' },
        },
        {
          name: 'send_service_activated',
          type: 'service_call',
          description: 'The service is live and billed: an e-mail that cannot be written is recorded, not a reason to tear it down.',
          critical: false,
          service: 'communications',
          method: 'sendTemplateEmail',
          params: {
            template: 'service_activated',
            recipient: { email: '${steps.get_customer.output.email}', name: '${steps.get_customer.output.name}' },
            variables: {
              customer_name: '${steps.get_customer.output.name}',
              username: '${steps.allocate_resources.output.username}',
              ip_address: '${steps.allocate_resources.output.ipAddress}',
            },
          },
        },
      ],
    },
  };
}
