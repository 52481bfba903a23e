import type { EntityManager } from '@mikro-orm/postgresql';
import { Deployment } from '../../entities/domain/deployment.entity.js';
import { User } from '../../entities/user.entity.js';
import { AppError } from '../../errors.js';
import type { Clock } from '../clock.js';
import { issueToken } from './one-time-tokens.js';
import { NO_PASSWORD } from './users.js';

/** What a listing of an e-mail shows where its one-time token is: the token reaches its recipient only. */
export const TOKEN_PLACEHOLDER = '(one-time token, shown only to its recipient)';
/** The same, where the link that carries the token is. */
export const LINK_PLACEHOLDER = '(one-time link, shown only to its recipient)';

/** How an invited user should send a person in: one of the e-mails every invitation leaves in. */
export const INVITATION_DELIVERIES = ['own_email', 'welcome_email'] as const;
export type InvitationDelivery = (typeof INVITATION_DELIVERIES)[number];

/** The template variables an e-mail carrying an invitation is given (besides the caller's). */
export const INVITATION_VARIABLES = ['invitation_link', 'invitation_token', 'invitation_expires_at'] as const;

export interface CarriedInvitation {
  token: string;
  expiresAt: Date;
}

/**
 * A fresh invitation for `email` to ride in an e-mail other than the invitation's own (a workflow's
 * welcome e-mail), issued in the caller's transaction: the token is stored hashed, earlier ones stop
 * working, and only the e-mail sent to that very address ever holds it — never the step's output.
 *
 * Only for an invitee the asking tenant may reach: one of its own users, or the admin of a tenant it
 * provisioned (its deployment's admin). NOT_FOUND otherwise (whose invitation it would be is not told);
 * INVALID_STATE when they have chosen a password already or are deactivated.
 */
export async function invitationToCarry(
  em: EntityManager,
  clock: Clock,
  askingTenantId: string,
  email: string,
): Promise<CarriedInvitation> {
  const user = await em.findOne(User, { email: email.trim().toLowerCase() }, { filters: false, populate: ['passwordHash'] });
  const reachable =
    user &&
    (user.tenant.id === askingTenantId ||
      (await em.count(Deployment, { tenant: askingTenantId, adminUser: user.id }, { filters: false })) > 0);
  if (!user || !reachable) throw new AppError('NOT_FOUND', `no invited user ${email} of this tenant or of a tenant it provisioned`);
  if (!user.active) throw new AppError('INVALID_STATE', `${user.email} is deactivated`, { details: { reason: 'inactive' } });
  if (user.passwordHash !== NO_PASSWORD) {
    throw new AppError('INVALID_STATE', `${user.email} has accepted their invitation already: they sign in with their password`, {
      details: { reason: 'invitation_accepted' },
    });
  }
  return issueToken(em, clock, user, 'invitation');
}
