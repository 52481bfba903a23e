import type { EntityManager } from '@mikro-orm/postgresql';
import { OutboxMessage, type EmailOutboxPayload } from '../../entities/domain/outbox-message.entity.js';
import { pageSize } from '../shared/parse-input.js';

export interface OutboxEmailView {
  id: string;
  to: string;
  toName: string | null;
  template: string;
  subject: string;
  text: string;
  /** pending, sent, failed */
  status: string;
  attempts: number;
  lastError: string | null;
  attachments: Array<{ filename: string; contentType: string; size: number }>;
  createdAt: Date;
  sentAt: Date | null;
}

/** The e-mails the tenant's workflows queued, newest first, as rendered (the outbox the dispatcher sends). */
export async function listOutboxEmails(
  em: EntityManager,
  tenantId: string,
  filter: { template?: string | null; to?: string | null; first?: number | null },
): Promise<OutboxEmailView[]> {
  const payload = {
    ...(filter.template ? { template: filter.template } : {}),
    ...(filter.to ? { to: filter.to.toLowerCase() } : {}),
  };
  const rows = await em.find(
    OutboxMessage,
    { tenant: tenantId, kind: 'email', ...(Object.keys(payload).length > 0 ? { payload } : {}) },
    { orderBy: { createdAt: 'desc', id: 'desc' }, limit: pageSize(filter.first) },
  );
  return rows.map((row) => {
    const email = row.payload as EmailOutboxPayload;
    return {
      id: row.id,
      to: email.to,
      toName: email.toName ?? null,
      template: email.template,
      subject: email.subject,
      // A token in it reaches its recipient only.
      text: email.shownText ?? email.text,
      status: row.status,
      attempts: row.attempts,
      lastError: row.lastError ?? null,
      attachments: (email.attachments ?? []).map((file) => ({
        filename: file.filename,
        contentType: file.contentType,
        size: Buffer.from(file.contentBase64, 'base64').length,
      })),
      createdAt: row.createdAt,
      sentAt: row.sentAt ?? null,
    };
  });
}
