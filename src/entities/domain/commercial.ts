import { Deployment } from './deployment.entity.js';
import { Invoice } from './invoice.entity.js';
import { Lead } from './lead.entity.js';
import { LedgerEntry } from './ledger-entry.entity.js';
import { License } from './license.entity.js';
import { LicenseTemplate } from './license-template.entity.js';
import { Order } from './order.entity.js';
import { OrderLine } from './order-line.entity.js';
import { Partner } from './partner.entity.js';
import { PartnerCommission } from './partner-commission.entity.js';
import { Payment } from './payment.entity.js';
import { Plan } from './plan.entity.js';
import { Quote } from './quote.entity.js';
import { QuoteLine } from './quote-line.entity.js';
import { Subscription } from './subscription.entity.js';
import { SubscriptionEvent } from './subscription-event.entity.js';
import type { EntityClass } from '../entity-class.js';

export {
  Deployment,
  Invoice,
  Lead,
  LedgerEntry,
  License,
  LicenseTemplate,
  Order,
  OrderLine,
  Partner,
  PartnerCommission,
  Payment,
  Plan,
  Quote,
  QuoteLine,
  Subscription,
  SubscriptionEvent,
};

/** The tables of the commercial services (customer, crm, sales, billing, license, partner, deployment). */
export const COMMERCIAL_ENTITIES: EntityClass[] = [
  Lead,
  Plan,
  Quote,
  QuoteLine,
  Order,
  OrderLine,
  Subscription,
  SubscriptionEvent,
  Invoice,
  Payment,
  LedgerEntry,
  LicenseTemplate,
  License,
  Partner,
  PartnerCommission,
  Deployment,
];
