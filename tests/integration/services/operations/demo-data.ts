import {
  DEMO_CPE_SERIAL,
  DEMO_EMAIL_TEMPLATES,
  DEMO_LOCATION,
  seedOperationsDemoData,
} from '../../../../src/services/operations-demo-data.js';
import { countRows, setUpOperations, type OperationsTestContext } from './support/context.js';

describe('seedOperationsDemoData', () => {
  let context: OperationsTestContext;

  beforeAll(async () => {
    context = await setUpOperations();
  });
  afterAll(() => context.close());

  const tables = ['email_templates', 'ip_pools', 'vlan_ranges', 'technicians', 'site_surveys'];
  const counts = async () => Promise.all(tables.map((table) => countRows(context, table)));

  it("creates templates, a pool, a VLAN range, a technician and the customer's survey, and nothing more when run again", async () => {
    const first = await context.orm.em.fork().transactional((em) => seedOperationsDemoData(em, context.tenantId, context.customerId));
    expect(Object.keys(first.templateIds).sort()).toEqual(
      [
        'customer_welcome',
        'invoice_issued',
        'order_confirmation',
        'partner_customer_provisioned',
        'partner_customer_welcome',
        'payment_refunded',
        'renewal_confirmation',
        'service_activated',
        'subscription_renewal',
      ].sort(),
    );
    expect(first.siteSurveyId).toEqual(expect.any(String));
    expect(await counts()).toEqual([Object.keys(DEMO_EMAIL_TEMPLATES).length, 1, 1, 1, 1]);

    const second = await context.orm.em.fork().transactional((em) => seedOperationsDemoData(em, context.tenantId, context.customerId));
    expect(second).toEqual(first);
    expect(await counts()).toEqual([Object.keys(DEMO_EMAIL_TEMPLATES).length, 1, 1, 1, 1]);
    // Without a customer: no survey, the rest found again.
    const third = await context.orm.em.fork().transactional((em) => seedOperationsDemoData(em, context.tenantId));
    expect(third).toEqual({ ...first, siteSurveyId: undefined });
  });

  it('makes the ISP steps runnable: survey → installation → allocation → subscriber → activation → e-mail', async () => {
    const survey = (await context.call('crm', 'getSiteSurvey', { customerId: context.customerId })) as {
      serviceLocation: string;
      cpeSerial: string;
      recommendedBandwidth: string;
    };
    expect(survey).toMatchObject({ serviceLocation: DEMO_LOCATION, cpeSerial: DEMO_CPE_SERIAL, recommendedBandwidth: '100M/20M' });
    await expect(
      context.call('ticketing', 'scheduleInstallation', {
        customerId: context.customerId,
        installationAddress: '1 Demo Street',
        scheduledDate: '2099-01-05',
      }),
    ).resolves.toMatchObject({ technicianName: 'Dana Fieldtech' });
    const allocated = (await context.call('network', 'allocateResources', {
      customerId: context.customerId,
      serviceLocation: survey.serviceLocation,
      bandwidthPlan: survey.recommendedBandwidth,
    })) as { serviceId: string; username: string; ipAddress: string };
    expect(allocated.ipAddress).toBe('100.64.0.2');
    await context.call('radius', 'createSubscriber', {
      customerId: context.customerId,
      username: allocated.username,
      bandwidthProfile: survey.recommendedBandwidth,
    });
    await context.call('billing', 'activateService', { customerId: context.customerId, serviceId: allocated.serviceId });
    await expect(
      context.call('communications', 'sendTemplateEmail', {
        template: 'service_activated',
        recipient: 'ada@example.com',
        variables: { customer_name: 'Ada', username: allocated.username, ip_address: allocated.ipAddress },
      }),
    ).resolves.toMatchObject({ status: 'queued' });
  });
});
