import { z } from 'zod';
import { clockOf } from '../../auth/clock.js';
import { accountLink, publicUrlOf } from '../../auth/users/account-links.js';
import { invitationToCarry, LINK_PLACEHOLDER, TOKEN_PLACEHOLDER } from '../../auth/users/invitations.js';
import { StoredDocument } from '../../entities/domain/document.entity.js';
import { EmailTemplate } from '../../entities/domain/email-template.entity.js';
import { OutboxMessage, type EmailAttachment, type EmailOutboxPayload } from '../../entities/domain/outbox-message.entity.js';
import type { JsonValue } from '../../entities/json.js';
import { Tenant } from '../../entities/tenant.entity.js';
import { AppError } from '../../errors.js';
import { traceContext } from '../../observability/tracing/trace-context.js';
import { defineServiceMethod } from '../registry.js';
import { escapeHtml, missingVariables, noEscape, renderTemplate } from './render-template.js';

/** The variables that show the invitation: a template with neither cannot carry one. */
const CARRIER_VARIABLES = new Set(['invitation_link', 'invitation_token']);

const jsonValue = z.json() as z.ZodType<JsonValue>;

const recipient = z.union([
  z.email().transform((email) => ({ email, name: undefined as string | undefined })),
  z.object({ email: z.email(), name: z.string().trim().min(1).optional() }),
]);

const input = z.object({
  template: z.string().trim().min(1),
  recipient,
  variables: z.record(z.string(), jsonValue).default({}),
  /** Stored documents (an invoice's PDF) to attach, by id. */
  attachments: z
    .array(z.object({ documentId: z.uuid() }))
    .max(5)
    .default([]),
  /**
   * The recipient's pending invitation rides in this e-mail: a fresh one-time token, given to the
   * template as `{{invitation_link}}` (the console's page that takes it), `{{invitation_token}}` (the
   * bare token, for acceptInvitation) and `{{invitation_expires_at}}`. It is in the e-mail only —
   * never in the step's input or output — and listings show the e-mail without it.
   */
  invitation: z.boolean().default(false),
});

/**
 * Renders a stored template and queues the e-mail in the outbox, in the step's transaction: the
 * dispatcher sends it over SMTP after the step commits, and never if it rolls back. With `invitation`,
 * the recipient's invitation is issued in that transaction too (see auth/users/invitations.ts) and the
 * result says `invitation: 'sent'`; its token goes nowhere but into the e-mail.
 */
export const sendTemplateEmail = defineServiceMethod({
  service: 'communications',
  method: 'sendTemplateEmail',
  description:
    "Renders a stored e-mail template with the variables (and stored documents attached) and queues it for delivery; with invitation: true the recipient's invitation token rides in it. Returns {messageId, status, invitation?}.",
  effects: 'local',
  input,
  async run(ctx, { template: name, recipient: to, variables: given, attachments, invitation }) {
    const template = await ctx.em.findOne(EmailTemplate, { tenant: ctx.tenantId, name });
    if (!template) throw new AppError('NOT_FOUND', `no e-mail template named ${name}`);
    // A token issued into an e-mail that does not show it would only retire the invitee's last one.
    if (invitation && !missingVariables(template.textBody, {}).some((variable) => CARRIER_VARIABLES.has(variable))) {
      throw new AppError(
        'VALIDATION',
        `template ${name} has no {{invitation_link}} (or {{invitation_token}}) for the invitation to ride in`,
        {
          details: { missing: ['invitation_link'] },
        },
      );
    }
    const carried = invitation ? await invitationToCarry(ctx.em, clockOf(ctx.em), ctx.tenantId, to.email) : undefined;
    const variables: Record<string, JsonValue> = carried
      ? {
          ...given,
          invitation_link: accountLink(publicUrlOf(ctx.em), 'invitation', carried.token),
          invitation_token: carried.token,
          invitation_expires_at: carried.expiresAt.toISOString(),
        }
      : given;

    const missing = [template.subject, template.textBody, template.htmlBody ?? ''].flatMap((part) => missingVariables(part, variables));
    if (missing.length > 0) {
      const unique = [...new Set(missing)];
      throw new AppError('VALIDATION', `template ${name} needs variables that were not given: ${unique.join(', ')}`, {
        details: { missing: unique },
      });
    }
    const files: EmailAttachment[] = [];
    for (const { documentId } of attachments) {
      const document = await ctx.em.findOne(StoredDocument, { id: documentId, tenant: ctx.tenantId }, { populate: ['content'] });
      if (!document) throw new AppError('NOT_FOUND', `no document ${documentId} to attach`);
      files.push({ filename: document.filename, contentType: document.contentType, contentBase64: document.content.toString('base64') });
    }
    const payload: EmailOutboxPayload = {
      ...(files.length > 0 ? { attachments: files } : {}),
      to: to.email,
      ...(to.name ? { toName: to.name } : {}),
      // A header: one line whatever the values hold.
      subject: renderTemplate(template.subject, variables, noEscape)
        .replace(/[\r\n]+/g, ' ')
        .trim(),
      text: renderTemplate(template.textBody, variables, noEscape),
      ...(template.htmlBody ? { html: renderTemplate(template.htmlBody, variables, escapeHtml) } : {}),
      ...(carried
        ? {
            shownText: renderTemplate(
              template.textBody,
              { ...variables, invitation_link: LINK_PLACEHOLDER, invitation_token: TOKEN_PLACEHOLDER },
              noEscape,
            ),
          }
        : {}),
      template: name,
      ...traceContext(),
    };
    const message = ctx.em.create(OutboxMessage, {
      tenant: ctx.em.getReference(Tenant, ctx.tenantId),
      kind: 'email',
      payload,
      nextAttemptAt: ctx.now,
    });
    await ctx.em.flush();
    return { messageId: message.id, status: 'queued', ...(carried ? { invitation: 'sent' } : {}) };
  },
});
