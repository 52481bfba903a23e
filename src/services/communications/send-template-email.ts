import { z } from 'zod';
import { StoredDocument } from '../../entities/domain/document.entity.js';
import { EmailTemplate } from '../../entities/domain/email-template.entity.js';
import { OutboxMessage, type EmailAttachment, type EmailOutboxPayload } from '../../entities/domain/outbox-message.entity.js';
import type { JsonValue } from '../../entities/json.js';
import { Tenant } from '../../entities/tenant.entity.js';
import { AppError } from '../../errors.js';
import { defineServiceMethod } from '../registry.js';
import { escapeHtml, missingVariables, noEscape, renderTemplate } from './render-template.js';

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
  attachments: z.array(z.object({ documentId: z.uuid() })).max(5).default([]),
});

/**
 * Renders a stored template and queues the e-mail in the outbox, in the step's transaction: the
 * dispatcher sends it over SMTP after the step commits, and never if it rolls back.
 */
export const sendTemplateEmail = defineServiceMethod({
  service: 'communications',
  method: 'sendTemplateEmail',
  description: 'Renders a stored e-mail template with the variables (and stored documents attached) and queues it for delivery. Returns {messageId, status}.',
  effects: 'local',
  input,
  async run(ctx, { template: name, recipient: to, variables, attachments }) {
    const template = await ctx.em.findOne(EmailTemplate, { tenant: ctx.tenantId, name });
    if (!template) throw new AppError('NOT_FOUND', `no e-mail template named ${name}`);

    const missing = [template.subject, template.textBody, template.htmlBody ?? ''].flatMap((part) => missingVariables(part, variables));
    if (missing.length > 0) {
      const unique = [...new Set(missing)];
      throw new AppError('VALIDATION', `template ${name} needs variables that were not given: ${unique.join(', ')}`, { details: { missing: unique } });
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
      subject: renderTemplate(template.subject, variables, noEscape).replace(/[\r\n]+/g, ' ').trim(),
      text: renderTemplate(template.textBody, variables, noEscape),
      ...(template.htmlBody ? { html: renderTemplate(template.htmlBody, variables, escapeHtml) } : {}),
      template: name,
    };
    const message = ctx.em.create(OutboxMessage, {
      tenant: ctx.em.getReference(Tenant, ctx.tenantId),
      kind: 'email',
      payload,
      nextAttemptAt: ctx.now,
    });
    await ctx.em.flush();
    return { messageId: message.id, status: 'queued' };
  },
});
