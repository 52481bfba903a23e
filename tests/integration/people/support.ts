import type { GraphQLFormattedError } from 'graphql';
import type { TestServer } from '../../helpers/server.js';

export { installManualClock, type ManualClock } from '../../helpers/clock.js';

/**
 * The link of the newest e-mail of a template (an invitation, a reset, a welcome) to an address, as its
 * recipient reads it: the console page that takes the one-time token (`…/accept-invitation?token=…`).
 */
export async function linkFromInbox(server: TestServer, to: string, template: string): Promise<URL> {
  const rows = await server.orm.em
    .fork()
    .getConnection()
    .execute<Array<{ text: string }>>(
      `select payload->>'text' as text from outbox_messages where kind = 'email' and payload->>'to' = ? and payload->>'template' = ? order by created_at desc limit 1`,
      [to, template],
    );
  const link = /^https?:\/\/\S+\?token=[A-Za-z0-9_-]{43}$/m.exec(rows[0]?.text ?? '')?.[0];
  if (!link) throw new Error(`no ${template} e-mail with a link to ${to}`);
  return new URL(link);
}

/** The one-time token of that link. */
export async function tokenFromInbox(server: TestServer, to: string, template: string): Promise<string> {
  return (await linkFromInbox(server, to, template)).searchParams.get('token') ?? '';
}

export function codeOf(response: { errors?: readonly GraphQLFormattedError[] }): unknown {
  return response.errors?.[0]?.extensions?.['code'];
}

/** The data of a response that must have succeeded. */
export function ok<T>(response: { data?: T | null; errors?: readonly GraphQLFormattedError[] }): T {
  if (response.errors || !response.data) throw new Error(`unexpected errors: ${JSON.stringify(response.errors)}`);
  return response.data;
}

let counter = 0;
export function uniqueEmail(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}@people.test`;
}
