import type { EntityManager } from '@mikro-orm/postgresql';
import { OutboxMessage, type EmailOutboxPayload } from '../../entities/domain/outbox-message.entity.js';
import { Tenant } from '../../entities/tenant.entity.js';
import { traceContext } from '../../observability/tracing/trace-context.js';
import type { User } from '../../entities/user.entity.js';
import type { OneTimeTokenPurpose } from '../../entities/auth/one-time-token.entity.js';
import { accountLink, publicUrlOf } from './account-links.js';

/** The outbox templates of account e-mails: their text carries a one-time token, so listings redact it. */
export const ACCOUNT_EMAIL_TEMPLATES = ['user_invitation', 'password_reset'] as const;
export type AccountEmailTemplate = (typeof ACCOUNT_EMAIL_TEMPLATES)[number];

/** What `outboxEmails` shows instead of an account e-mail's text. */
export const REDACTED_ACCOUNT_EMAIL = '(this e-mail carries a one-time token and is shown only to its recipient)';

export function isAccountEmailTemplate(template: string): boolean {
  return (ACCOUNT_EMAIL_TEMPLATES as readonly string[]).includes(template);
}

/** Whom an account e-mail greets. */
type Recipient = Pick<User, 'email' | 'name' | 'role'>;

function render(
  template: AccountEmailTemplate,
  user: Recipient,
  tenantName: string,
  link: string,
  expiresAt: Date,
): Pick<EmailOutboxPayload, 'subject' | 'text'> {
  const until = expiresAt.toISOString();
  if (template === 'user_invitation') {
    return {
      subject: `You are invited to ${tenantName} on Switchyard`.replace(/[\r\n]+/g, ' '),
      text: [
        `Hello ${user.name || user.email},`,
        '',
        `you have been given an account (${user.role}) in ${tenantName} on Switchyard. Open this link to choose your password; it works once, until ${until}:`,
        '',
        link,
        '',
        "Integrations without a browser: the link's token is the one acceptInvitation(token, password) takes.",
      ].join('\n'),
    };
  }
  return {
    subject: 'Reset your Switchyard password',
    text: [
      `Hello ${user.name || user.email},`,
      '',
      `someone asked to reset the password of ${user.email}. If it was you, open this link to choose a new one; it works once, until ${until}:`,
      '',
      link,
      '',
      'If it was not you, ignore this e-mail: your password stays as it is.',
    ].join('\n'),
  };
}

/** Which one-time token an account e-mail's link carries. */
const PURPOSE: { readonly [T in AccountEmailTemplate]: OneTimeTokenPurpose } = {
  user_invitation: 'invitation',
  password_reset: 'password_reset',
};

/** An account e-mail, rendered: what the outbox sends. Its link points to the console below `publicUrl`. */
export function accountEmailPayload(
  template: AccountEmailTemplate,
  user: Recipient,
  tenantName: string,
  { token, expiresAt }: { token: string; expiresAt: Date },
  publicUrl: string,
): EmailOutboxPayload {
  return {
    to: user.email,
    ...(user.name ? { toName: user.name } : {}),
    template,
    ...render(template, user, tenantName, accountLink(publicUrl, PURPOSE[template], token), expiresAt),
    // What listings show, and all the outbox keeps once it is sent.
    shownText: REDACTED_ACCOUNT_EMAIL,
  };
}

/** Queues an account e-mail in the outbox, in the caller's transaction: it leaves only if that commits. */
export async function queueAccountEmail(
  em: EntityManager,
  template: AccountEmailTemplate,
  user: User,
  token: string,
  expiresAt: Date,
  now: Date,
): Promise<void> {
  const tenant = await em.findOneOrFail(Tenant, { id: user.tenant.id });
  const payload = { ...accountEmailPayload(template, user, tenant.name, { token, expiresAt }, publicUrlOf(em)), ...traceContext() };
  em.create(OutboxMessage, { tenant, kind: 'email', payload, nextAttemptAt: now });
  await em.flush();
}
