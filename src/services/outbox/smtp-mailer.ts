import nodemailer from 'nodemailer';
import { coerceError } from '../../errors.js';
import { DeliveryError } from './delivery-error.js';

export interface OutgoingEmail {
  /** The outbox message id: becomes the Message-ID, the same on every resend. */
  id: string;
  to: string;
  toName?: string;
  subject: string;
  text: string;
  html?: string;
  attachments?: Array<{ filename: string; contentType: string; contentBase64: string }>;
}

/** How e-mail leaves: SMTP here; anything that can send a message with a given Message-ID fits. */
export interface EmailSender {
  send(email: OutgoingEmail): Promise<void>;
  close(): void;
}

export interface SmtpMailerOptions {
  /** `smtp://user:password@host:587` or `smtps://…:465` (nodemailer's connection URL). */
  url: string;
  /** `Switchyard <noreply@example.com>` */
  from: string;
  /** Right-hand side of Message-IDs; default: the domain of `from`. */
  messageIdDomain?: string;
  timeoutMs?: number;
}

/** `<outbox id@domain>`: a receiver (or a mailbox that deduplicates) sees one message however often it is sent. */
export function messageIdFor(outboxId: string, domain: string): string {
  return `<${outboxId}@${domain}>`;
}

export function createSmtpMailer(options: SmtpMailerOptions): EmailSender {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const transport = nodemailer.createTransport({
    url: options.url,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  const domain = options.messageIdDomain ?? /@([^>\s]+)>?\s*$/.exec(options.from)?.[1] ?? 'switchyard.invalid';
  return {
    async send(email) {
      try {
        await transport.sendMail({
          from: options.from,
          to: email.toName ? { name: email.toName, address: email.to } : email.to,
          subject: email.subject,
          text: email.text,
          ...(email.html ? { html: email.html } : {}),
          ...(email.attachments?.length
            ? {
                attachments: email.attachments.map((each) => ({
                  filename: each.filename,
                  contentType: each.contentType,
                  content: Buffer.from(each.contentBase64, 'base64'),
                })),
              }
            : {}),
          messageId: messageIdFor(email.id, domain),
        });
      } catch (thrown) {
        const error = coerceError(thrown);
        const responseCode = 'responseCode' in error && typeof error.responseCode === 'number' ? error.responseCode : undefined;
        // Nodemailer marks 5xx replies (but 503) as permanent; connection failures carry no reply and are worth a retry.
        const permanent = 'permanent' in error && error.permanent === true;
        throw new DeliveryError(`SMTP delivery failed${responseCode ? ` (SMTP ${responseCode})` : ''}: ${error.message}`, permanent, {
          cause: error,
        });
      }
    },
    close: () => transport.close(),
  };
}
