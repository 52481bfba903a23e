import { CpeDevice } from './cpe-device.entity.js';
import { EmailTemplate } from './email-template.entity.js';
import { IpAllocation } from './ip-allocation.entity.js';
import { IpPool } from './ip-pool.entity.js';
import { Notification } from './notification.entity.js';
import { OutboxMessage } from './outbox-message.entity.js';
import { RadCheck, RadReply, RadUserGroup } from './radius.entity.js';
import { ServiceInstance } from './service-instance.entity.js';
import { SiteSurvey } from './site-survey.entity.js';
import { TeamWebhook } from './team-webhook.entity.js';
import { Technician } from './technician.entity.js';
import { TechnicianAppointment } from './technician-appointment.entity.js';
import { Ticket } from './ticket.entity.js';
import { TicketCounter } from './ticket-counter.entity.js';
import { VlanAllocation } from './vlan-allocation.entity.js';
import { VlanRange } from './vlan-range.entity.js';
import type { EntityClass } from '../entity-class.js';

/** The operations services' entities: communications, notifications, ticketing, surveys, network, RADIUS, CPE. */
export const OPERATIONS_ENTITIES: EntityClass[] = [
  EmailTemplate,
  OutboxMessage,
  Notification,
  TeamWebhook,
  Ticket,
  TicketCounter,
  Technician,
  TechnicianAppointment,
  SiteSurvey,
  IpPool,
  IpAllocation,
  VlanRange,
  VlanAllocation,
  ServiceInstance,
  RadCheck,
  RadReply,
  RadUserGroup,
  CpeDevice,
];
