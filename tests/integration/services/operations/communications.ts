import { EmailTemplate } from '../../../../src/entities/domain/email-template.entity.js';
import { OutboxMessage } from '../../../../src/entities/domain/outbox-message.entity.js';
import { countRows, setUpOperations, type OperationsTestContext } from './support/context.js';

describe('communications.sendTemplateEmail', () => {
  let context: OperationsTestContext;

  beforeAll(async () => {
    context = await setUpOperations();
    const em = context.orm.em.fork();
    em.create(EmailTemplate, {
      tenant: context.tenantId,
      name: 'customer_welcome',
      subject: 'Welcome, {{ customer.name }}',
      textBody: 'Hello {{customer.name}}, your workspace: {{tenant_url}} ({{seats}} seats)',
      htmlBody: '<p>Hello {{customer.name}}, <a href="{{tenant_url}}">open</a></p>',
    });
    await em.flush();
  });
  afterAll(() => context.close());

  const variables = { customer: { name: 'Ada <script>alert(1)</script>' }, tenant_url: 'https://ada.example.com/?a=1&b=2', seats: 5 };

  it('renders the template and queues the e-mail in the outbox, escaping values in the HTML body', async () => {
    const result = await context.call('communications_service', 'send_template_email', {
      template: 'customer_welcome',
      recipient: 'ada@example.com',
      variables,
    });
    expect(result).toEqual({ messageId: expect.any(String), status: 'queued' });

    const message = await context.orm.em.fork().findOneOrFail(OutboxMessage, { id: (result as { messageId: string }).messageId });
    expect(message).toMatchObject({ kind: 'email', status: 'pending', attempts: 0 });
    expect(message.payload).toEqual({
      to: 'ada@example.com',
      subject: 'Welcome, Ada <script>alert(1)</script>',
      text: 'Hello Ada <script>alert(1)</script>, your workspace: https://ada.example.com/?a=1&b=2 (5 seats)',
      html: '<p>Hello Ada &lt;script&gt;alert(1)&lt;/script&gt;, <a href="https://ada.example.com/?a=1&amp;b=2">open</a></p>',
      template: 'customer_welcome',
    });
  });

  it('takes a recipient with a display name', async () => {
    const result = await context.call('communications', 'sendTemplateEmail', {
      template: 'customer_welcome',
      recipient: { email: 'grace@example.com', name: 'Grace Hopper' },
      variables,
    });
    const message = await context.orm.em.fork().findOneOrFail(OutboxMessage, { id: (result as { messageId: string }).messageId });
    expect(message.payload).toMatchObject({ to: 'grace@example.com', toName: 'Grace Hopper' });
  });

  it('refuses a template whose variables are not all given, naming them, and queues nothing', async () => {
    const before = await countRows(context, 'outbox_messages');
    await expect(
      context.call('communications', 'sendTemplateEmail', {
        template: 'customer_welcome',
        recipient: 'ada@example.com',
        variables: { customer: {} },
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION', retryable: false, details: { missing: ['customer.name', 'tenant_url', 'seats'] } });
    // An object where a value is expected is as good as missing.
    await expect(
      context.call('communications', 'sendTemplateEmail', {
        template: 'customer_welcome',
        recipient: 'ada@example.com',
        variables: { ...variables, seats: { n: 5 } },
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION', details: { missing: ['seats'] } });
    expect(await countRows(context, 'outbox_messages')).toBe(before);
  });

  it('fails with NOT_FOUND for an unknown template and VALIDATION for a bad recipient', async () => {
    await expect(
      context.call('communications', 'sendTemplateEmail', { template: 'nope', recipient: 'ada@example.com', variables }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      context.call('communications', 'sendTemplateEmail', { template: 'customer_welcome', recipient: 'not an address', variables }),
    ).rejects.toMatchObject({ code: 'VALIDATION' });
  });

  it("does not see another tenant's templates", async () => {
    const other = await context.orm.em
      .fork()
      .getConnection()
      .execute<{ id: string }[]>(
        `insert into tenants (id, slug, name, created_at) values (gen_random_uuid(), 'other-comms', 'Other', now()) returning id`,
      );
    await expect(
      context.call(
        'communications',
        'sendTemplateEmail',
        { template: 'customer_welcome', recipient: 'ada@example.com', variables },
        { tenantId: other[0]!.id },
      ),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('queues once per idempotency key', async () => {
    const params = { template: 'customer_welcome', recipient: 'ada@example.com', variables };
    const first = await context.call('communications', 'sendTemplateEmail', params, { key: 'exec-1:send_welcome' });
    const count = await countRows(context, 'outbox_messages');
    const second = await context.call('communications', 'sendTemplateEmail', params, { key: 'exec-1:send_welcome' });
    expect(second).toEqual(first);
    expect(await countRows(context, 'outbox_messages')).toBe(count);
  });
});
