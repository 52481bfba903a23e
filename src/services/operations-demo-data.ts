import type { EntityManager } from '@mikro-orm/postgresql';
import { Customer } from '../entities/customer.entity.js';
import { EmailTemplate } from '../entities/domain/email-template.entity.js';
import { IpPool } from '../entities/domain/ip-pool.entity.js';
import { SiteSurvey } from '../entities/domain/site-survey.entity.js';
import { Technician } from '../entities/domain/technician.entity.js';
import { VlanRange } from '../entities/domain/vlan-range.entity.js';
import { Tenant } from '../entities/tenant.entity.js';

export const DEMO_LOCATION = 'demo-pop-1';
export const DEMO_CPE_SERIAL = 'DEMO-CPE-0001';

interface TemplateText {
  subject: string;
  text: string;
  html: string;
}

/**
 * The templates the built-in workflows send, with the variables each needs (a missing one fails the
 * step with VALIDATION): keep the workflow definitions' `variables` in step with these.
 */
export const DEMO_EMAIL_TEMPLATES: Record<string, TemplateText> = {
  customer_welcome: {
    subject: 'Welcome to {{tenant_name}}, {{customer_name}}',
    text:
      'Hello {{customer_name}},\n\nyour workspace is ready at {{tenant_url}}.\nYour license key: {{license_key}}\n\n' +
      'You are its administrator ({{admin_email}}). Open this link to choose your password; it works once, until {{invitation_expires_at}}:\n\n' +
      '{{invitation_link}}\n',
    html:
      '<p>Hello {{customer_name}},</p><p>your workspace is ready at <a href="{{tenant_url}}">{{tenant_url}}</a>.</p><p>Your license key: <code>{{license_key}}</code></p>' +
      '<p>You are its administrator ({{admin_email}}). <a href="{{invitation_link}}">Choose your password</a>; the link works once, until {{invitation_expires_at}}.</p>',
  },
  partner_customer_welcome: {
    subject: 'Welcome to {{display_name}}, {{customer_name}}',
    text:
      'Hello {{customer_name}},\n\nyour {{display_name}} workspace is ready at {{tenant_url}}.\n\n' +
      'You are its administrator ({{admin_email}}). Open this link to choose your password; it works once, until {{invitation_expires_at}}:\n\n' +
      '{{invitation_link}}\n',
    html:
      '<p>Hello {{customer_name}},</p><p>your {{display_name}} workspace is ready at <a href="{{tenant_url}}">{{tenant_url}}</a>.</p>' +
      '<p>You are its administrator ({{admin_email}}). <a href="{{invitation_link}}">Choose your password</a>; the link works once, until {{invitation_expires_at}}.</p>',
  },
  order_confirmation: {
    subject: 'Order {{order_id}} confirmed',
    text: 'Thank you for your order {{order_id}}.\nTotal: {{total_amount}} {{currency}}\n',
    html: '<p>Thank you for your order <strong>{{order_id}}</strong>.</p><p>Total: {{total_amount}} {{currency}}</p>',
  },
  partner_customer_provisioned: {
    subject: '{{customer_name}} is provisioned',
    text: 'The workspace of {{customer_name}} is ready at {{tenant_url}}. Its administrator, {{admin_email}}, has been sent a welcome e-mail with an invitation to choose a password.\n',
    html: '<p>The workspace of {{customer_name}} is ready at <a href="{{tenant_url}}">{{tenant_url}}</a>. Its administrator, {{admin_email}}, has been sent a welcome e-mail with an invitation to choose a password.</p>',
  },
  subscription_renewal: {
    subject: 'Your subscription renews soon',
    text: 'Hello {{customer_name}},\n\nyour renewal quote {{quote_id}} is ready: {{renewal_price}} {{currency}}.\n',
    html: '<p>Hello {{customer_name}},</p><p>your renewal quote <strong>{{quote_id}}</strong> is ready: {{renewal_price}} {{currency}}.</p>',
  },
  renewal_confirmation: {
    subject: 'Your subscription is renewed',
    text: 'Hello {{customer_name}},\n\nyour subscription now runs until {{period_end}}.\n',
    html: '<p>Hello {{customer_name}},</p><p>your subscription now runs until {{period_end}}.</p>',
  },
  invoice_issued: {
    subject: 'Invoice {{invoice_number}}: {{total_amount}} {{currency}} paid',
    text: 'Hello {{customer_name}},\n\nthank you for your payment. Invoice {{invoice_number}} is attached.\nTotal: {{total_amount}} {{currency}}, of which {{tax_label}}: {{tax_amount}} {{currency}}\n',
    html: '<p>Hello {{customer_name}},</p><p>thank you for your payment. Invoice <strong>{{invoice_number}}</strong> is attached.</p><p>Total: {{total_amount}} {{currency}}, of which {{tax_label}}: {{tax_amount}} {{currency}}</p>',
  },
  payment_refunded: {
    subject: 'Refund of {{amount}} {{currency}} for invoice {{invoice_number}}',
    text:
      'Hello {{customer_name}},\n\nyour payment of {{amount}} {{currency}} for invoice {{invoice_number}} was confirmed only after we had stopped waiting for it, ' +
      'and the invoice was cancelled. We have refunded the whole amount (refund reference {{refund_reference}}); your bank shows it within a few days.\n',
    html:
      '<p>Hello {{customer_name}},</p><p>your payment of {{amount}} {{currency}} for invoice <strong>{{invoice_number}}</strong> was confirmed only after we had stopped waiting for it, ' +
      'and the invoice was cancelled. We have refunded the whole amount (refund reference <code>{{refund_reference}}</code>); your bank shows it within a few days.</p>',
  },
  service_activated: {
    subject: 'Your internet service is live',
    text: 'Hello {{customer_name}},\n\nyour service is active. PPPoE user: {{username}}, address {{ip_address}}.\n',
    html: '<p>Hello {{customer_name}},</p><p>your service is active. PPPoE user: <code>{{username}}</code>, address {{ip_address}}.</p>',
  },
};

/** The named templates (of DEMO_EMAIL_TEMPLATES) in the tenant, each made unless it has one by that name: their ids. Does not flush. */
export async function ensureEmailTemplates(em: EntityManager, tenantId: string, names: readonly string[]): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const name of names) {
    const text = DEMO_EMAIL_TEMPLATES[name];
    if (!text) throw new Error(`no e-mail template ${name} to seed`);
    const template =
      (await em.findOne(EmailTemplate, { tenant: tenantId, name })) ??
      em.create(EmailTemplate, {
        tenant: em.getReference(Tenant, tenantId),
        name,
        subject: text.subject,
        textBody: text.text,
        htmlBody: text.html,
      });
    ids[name] = template.id;
  }
  return ids;
}

export interface OperationsDemoData {
  templateIds: Record<string, string>;
  ipPoolId: string;
  vlanRangeId: string;
  technicianId: string;
  /** Given a customer: its completed site survey. */
  siteSurveyId?: string;
}

/**
 * The operations side of the demo data: e-mail templates, an IP pool and a VLAN range at
 * `demo-pop-1`, a technician and, for a customer, a completed site survey at that location. Creates
 * only what is missing (by name, e-mail, or a completed survey of the customer), so it can run on every
 * start. Flushes; the caller owns the transaction.
 */
export async function seedOperationsDemoData(em: EntityManager, tenantId: string, customerId?: string): Promise<OperationsDemoData> {
  const tenant = em.getReference(Tenant, tenantId);

  const templateIds = await ensureEmailTemplates(em, tenantId, Object.keys(DEMO_EMAIL_TEMPLATES));

  const ipPool =
    (await em.findOne(IpPool, { tenant: tenantId, name: `${DEMO_LOCATION}-subscribers` })) ??
    em.create(IpPool, {
      tenant,
      name: `${DEMO_LOCATION}-subscribers`,
      location: DEMO_LOCATION,
      cidr: '100.64.0.0/22',
      gateway: '100.64.0.1',
    });
  const vlanRange =
    (await em.findOne(VlanRange, { tenant: tenantId, name: `${DEMO_LOCATION}-subscribers` })) ??
    em.create(VlanRange, { tenant, name: `${DEMO_LOCATION}-subscribers`, location: DEMO_LOCATION, firstVlan: 100, lastVlan: 999 });
  const technician =
    (await em.findOne(Technician, { tenant: tenantId, email: 'field.tech@example.com' })) ??
    em.create(Technician, { tenant, name: 'Dana Fieldtech', email: 'field.tech@example.com', phone: '+1 555 0100' });

  let siteSurveyId: string | undefined;
  if (customerId) {
    const survey =
      (await em.findOne(SiteSurvey, { tenant: tenantId, customer: customerId, status: 'completed' })) ??
      em.create(SiteSurvey, {
        tenant,
        customer: em.getReference(Customer, customerId),
        status: 'completed',
        address: '1 Demo Street, Springfield',
        latitude: 39.7817,
        longitude: -89.6501,
        signalStrengthDbm: -61.5,
        recommendedBandwidth: '100M/20M',
        cpeSerial: DEMO_CPE_SERIAL,
        serviceLocation: DEMO_LOCATION,
        notes: 'Line of sight to the tower; mount on the south wall.',
        completedAt: new Date(),
      });
    siteSurveyId = survey.id;
  }

  await em.flush();
  return {
    templateIds,
    ipPoolId: ipPool.id,
    vlanRangeId: vlanRange.id,
    technicianId: technician.id,
    ...(siteSurveyId ? { siteSurveyId } : {}),
  };
}
