import type { EntityManager } from '@mikro-orm/postgresql';
import { Customer } from '../entities/customer.entity.js';
import { Technician } from '../entities/domain/technician.entity.js';
import { Ticket } from '../entities/domain/ticket.entity.js';
import { Tenant } from '../entities/tenant.entity.js';
import { seedCommercialDemoData, type CommercialDemoData } from '../services/commercial-demo-data.js';
import { seedOperationsDemoData, type OperationsDemoData } from '../services/operations-demo-data.js';
import { nextTicketNumber } from '../services/ticketing/ticket-numbers.js';

export const DEMO_ISP_CUSTOMER_EMAIL = 'ada@homestead.example';

/** Further field technicians, so that a few demo installations fit on one day. */
const EXTRA_TECHNICIANS = [{ name: 'Sam Splicer', email: 'sam.splicer@example.com', phone: '+1 555 0101' }] as const;

export interface IspDemoData {
  /** Ada Homestead: a completed site survey at demo-pop-1 (CPE DEMO-CPE-0001). */
  customerId: string;
  siteSurveyId: string;
  /** Her open installation request: approving it starts isp_ticket_to_deployment. */
  installationTicketId: string;
}

export interface DemoData {
  commercial: CommercialDemoData;
  operations: OperationsDemoData;
  isp: IspDemoData;
}

/**
 * Everything the built-in workflows need to run in a tenant straight after the first start: the
 * commercial and operations demo data, and a customer for the ISP flow with a completed site survey and an
 * open installation request. One transaction; every row is found by its natural key before it is made, so
 * running it again changes nothing.
 */
export async function seedDemoData(em: EntityManager, tenantId: string): Promise<DemoData> {
  return em.fork().transactional(async (tx) => {
    const commercial = await seedCommercialDemoData(tx, tenantId);
    const tenant = tx.getReference(Tenant, tenantId);
    const ispCustomer =
      (await tx.findOne(Customer, { tenant: tenantId, email: DEMO_ISP_CUSTOMER_EMAIL })) ??
      tx.create(Customer, {
        tenant,
        name: 'Ada Homestead',
        email: DEMO_ISP_CUSTOMER_EMAIL,
        company: 'Homestead Farm',
        phone: '+1 555 0142',
        source: 'direct',
      });
    await tx.flush();
    const operations = await seedOperationsDemoData(tx, tenantId, ispCustomer.id);
    for (const technician of EXTRA_TECHNICIANS) {
      if (!(await tx.findOne(Technician, { tenant: tenantId, email: technician.email }))) tx.create(Technician, { tenant, ...technician });
    }
    const request =
      (await tx.findOne(Ticket, { tenant: tenantId, customer: ispCustomer.id, kind: 'installation' }, { orderBy: { number: 'asc' } })) ??
      tx.create(Ticket, {
        tenant,
        number: await nextTicketNumber(tx, tenantId),
        kind: 'installation',
        title: `Installation request: ${ispCustomer.name}`,
        description: 'Fibre-to-the-farm: 100M/20M as surveyed. Approve to start isp_ticket_to_deployment.',
        customer: ispCustomer,
        status: 'open',
        assignedTeam: 'installations',
        installationAddress: '1 Demo Street, Springfield',
      });
    await tx.flush();
    return {
      commercial,
      operations,
      isp: { customerId: ispCustomer.id, siteSurveyId: operations.siteSurveyId as string, installationTicketId: request.id },
    };
  });
}
