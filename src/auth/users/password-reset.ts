import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { User } from '../../entities/user.entity.js';
import type { Clock } from '../clock.js';
import { accountEmailPayload } from './account-emails.js';
import { publicUrlOf } from './account-links.js';
import { newToken } from './one-time-tokens.js';
import { EMAIL } from './users.js';

/** Who an unknown e-mail's rehearsal is rendered for: it is never sent. */
const NOBODY = { name: '', role: 'viewer' } as const;

/**
 * Sends a reset e-mail to an active user with this e-mail; answers the same, in the same time, whether
 * there is one or not: the same work is done either way — one look-up, a token made and hashed, the
 * e-mail rendered, and the same three statements (earlier reset tokens retired, the token stored, the
 * e-mail queued), which for an unknown e-mail match no user and so write nothing.
 * Returns the user, for the audit record only.
 */
export async function requestPasswordReset(em: EntityManager, clock: Clock, emailAddress: string): Promise<User | undefined> {
  const email = emailAddress.trim().toLowerCase();
  const found = EMAIL.test(email) ? await em.findOne(User, { email, active: true }, { filters: false, populate: ['tenant'] }) : null;
  const now = clock.now();
  const { token, tokenHash, expiresAt } = newToken(clock, 'password_reset');
  const userId = found?.id ?? randomUUID();
  const payload = accountEmailPayload(
    'password_reset',
    found ?? { ...NOBODY, email },
    found?.tenant.getEntity().name ?? 'Switchyard',
    { token, expiresAt },
    publicUrlOf(em),
  );

  await em.execute(
    `update "one_time_tokens" set "used_at" = ? where "user_id" = ? and "purpose" = 'password_reset' and "used_at" is null`,
    [now, userId],
  );
  await em.execute(
    `insert into "one_time_tokens" ("id", "tenant_id", "user_id", "purpose", "token_hash", "expires_at", "created_at")
     select ?, u."tenant_id", u."id", 'password_reset', ?, ?, ? from "users" u where u."id" = ? and u."active"`,
    [randomUUID(), tokenHash, expiresAt, now, userId],
  );
  await em.execute(
    `insert into "outbox_messages" ("id", "tenant_id", "kind", "payload", "status", "attempts", "next_attempt_at", "created_at")
     select ?, u."tenant_id", 'email', ?::jsonb, 'pending', 0, ?, ? from "users" u where u."id" = ? and u."active"`,
    [randomUUID(), JSON.stringify(payload), now, now, userId],
  );
  return found ?? undefined;
}
