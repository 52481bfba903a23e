import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/postgresql';
import { Tenant } from '../../entities/tenant.entity.js';
import { User } from '../../entities/user.entity.js';
import { USER_ROLES, type UserRole } from '../../entities/statuses.js';
import { AppError, type Issue } from '../../errors.js';
import { hashPassword, verifyPassword } from '../../services/passwords.js';
import type { Clock } from '../clock.js';
import { ROLE_PERMISSIONS } from '../permissions.js';
import { isPlatformAdmin, type Viewer } from '../viewer.js';
import { queueAccountEmail } from './account-emails.js';
import type { InvitationDelivery } from './invitations.js';
import { consumeToken, issueToken } from './one-time-tokens.js';
import { passwordProblem } from './password-rule.js';

/** What an invited user's password hash is until they accept: no password verifies against it. */
export const NO_PASSWORD = '!invited';
const MAX_NAME_LENGTH = 100;
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface NewUser {
  email: string;
  name: string;
  role: UserRole;
  /** Given: the user signs in at once. Not given: an invitation goes out. */
  password?: string | null | undefined;
}

export interface UserChange {
  name?: string | null | undefined;
  role?: UserRole | null | undefined;
  active?: boolean | null | undefined;
}

function passwordIssues(password: string, path: string): Issue[] {
  const problem = passwordProblem(password);
  return problem ? [{ path, message: problem }] : [];
}

function refuse(issues: Issue[]): void {
  if (issues.length > 0)
    throw new AppError('VALIDATION', issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '), { details: { issues } });
}

/** No escalation: nobody gives a role with a permission they lack themselves. */
function assertMayGrant(viewer: Viewer, role: UserRole): void {
  const beyond = [...ROLE_PERMISSIONS[role]].filter((permission) => !viewer.permissions.has(permission));
  if (beyond.length > 0)
    throw new AppError('FORBIDDEN', `cannot give the role ${role}: it has permissions you do not have (${beyond.join(', ')})`);
}

export async function listUsers(em: EntityManager, viewer: Viewer): Promise<User[]> {
  return em.find(User, { tenant: viewer.tenantId }, { orderBy: { createdAt: 'asc', id: 'asc' }, populate: ['passwordHash'] });
}

/** A new user's input, checked and normalised (VALIDATION with every issue otherwise). */
export function checkNewUser(input: NewUser): NewUser {
  const email = input.email.trim().toLowerCase();
  const name = input.name.trim();
  const issues: Issue[] = [];
  if (!EMAIL.test(email) || email.length > 254) issues.push({ path: '$.email', message: 'must be an e-mail address' });
  if (name.length === 0 || name.length > MAX_NAME_LENGTH)
    issues.push({ path: '$.name', message: `must have 1 to ${MAX_NAME_LENGTH} characters` });
  if (!USER_ROLES.includes(input.role)) issues.push({ path: '$.role', message: `must be one of ${USER_ROLES.join(', ')}` });
  if (input.password != null) issues.push(...passwordIssues(input.password, '$.password'));
  refuse(issues);
  return { email, name, role: input.role, password: input.password };
}

/**
 * The tenant a new user goes to: the viewer's own, or — for the platform admin only — another, which
 * must exist (FORBIDDEN for anyone else naming another tenant, NOT_FOUND for no such tenant).
 */
export async function tenantForNewUser(em: EntityManager, viewer: Viewer, tenant: string | null | undefined): Promise<string> {
  if (tenant == null || tenant === viewer.tenantId) return viewer.tenantId;
  if (!isPlatformAdmin(viewer)) throw new AppError('FORBIDDEN', 'only the platform admin adds users to another tenant');
  if (!UUID.test(tenant) || !(await em.findOne(Tenant, { id: tenant }))) throw new AppError('NOT_FOUND', `no tenant ${tenant}`);
  return tenant;
}

/** A user of `tenantId` (see tenantForNewUser); with a password they sign in at once, without one they are invited by e-mail. */
export async function createUser(
  em: EntityManager,
  clock: Clock,
  viewer: Viewer,
  input: NewUser,
  tenantId: string,
): Promise<{ user: User; invited: boolean }> {
  const checked = checkNewUser(input);
  assertMayGrant(viewer, checked.role);
  return addUser(em, clock, checked, tenantId);
}

/**
 * Adds a checked user to a tenant, in the caller's transaction: with a password they sign in at once;
 * without one an invitation — a one-time token, stored hashed — is e-mailed through the outbox, and no
 * password exists anywhere until they choose one. Who may grant the role is the caller's to decide.
 * `invitation: 'welcome_email'`: no invitation e-mail of its own; the caller's welcome e-mail carries it
 * (communications.sendTemplateEmail with `invitation: true`, see invitations.ts).
 */
export async function addUser(
  em: EntityManager,
  clock: Clock,
  input: NewUser,
  tenantId: string,
  invitation: InvitationDelivery = 'own_email',
): Promise<{ user: User; invited: boolean }> {
  const { email, name } = input;
  // E-mails are unique across tenants: sign-in is by e-mail alone.
  if (await em.findOne(User, { email }, { filters: false }))
    throw new AppError('CONFLICT', `a user with the e-mail ${email} exists already`);

  const user = em.create(User, {
    tenant: em.getReference(Tenant, tenantId),
    email,
    name,
    role: input.role,
    passwordHash: input.password != null ? await hashPassword(input.password) : NO_PASSWORD,
  });
  try {
    await em.flush();
  } catch (error) {
    // Another request made the same e-mail's user between the look-up and here.
    if (error instanceof UniqueConstraintViolationException)
      throw new AppError('CONFLICT', `a user with the e-mail ${email} exists already`, { cause: error });
    throw error;
  }
  if (input.password != null) return { user, invited: false };
  if (invitation === 'welcome_email') return { user, invited: true };
  const { token, expiresAt } = await issueToken(em, clock, user, 'invitation');
  await queueAccountEmail(em, 'user_invitation', user, token, expiresAt, clock.now());
  return { user, invited: true };
}

/**
 * Renames, changes the role, (de)activates. The last active admin of a tenant can be neither
 * deactivated nor demoted: the tenant's active admins are locked while that is decided, so two admins
 * demoting each other at once end with one of them refused.
 */
export async function updateUser(
  em: EntityManager,
  viewer: Viewer,
  id: string,
  change: UserChange,
): Promise<{ user: User; accessChanged: boolean }> {
  if (!UUID.test(id)) throw new AppError('BAD_USER_INPUT', 'id must be a UUID');
  const user = await em.findOne(User, { id, tenant: viewer.tenantId }, { populate: ['passwordHash'] });
  if (!user) throw new AppError('NOT_FOUND', `no user ${id}`);
  const issues: Issue[] = [];
  const name = change.name?.trim();
  if (name !== undefined && (name.length === 0 || name.length > MAX_NAME_LENGTH))
    issues.push({ path: '$.name', message: `must have 1 to ${MAX_NAME_LENGTH} characters` });
  if (change.role != null && !USER_ROLES.includes(change.role))
    issues.push({ path: '$.role', message: `must be one of ${USER_ROLES.join(', ')}` });
  refuse(issues);
  const role = change.role ?? user.role;
  const active = change.active ?? user.active;
  if (role !== user.role) {
    assertMayGrant(viewer, role);
    assertMayGrant(viewer, user.role);
  }
  const losesAdmin = user.role === 'admin' && user.active && (role !== 'admin' || !active);
  if (losesAdmin) {
    const admins = await em.execute<Array<{ id: string }>>(
      `select id from users where tenant_id = ? and role = 'admin' and active order by id for update`,
      [viewer.tenantId],
    );
    if (!admins.some((admin) => admin.id !== user.id)) {
      throw new AppError('INVALID_STATE', 'the last active admin of a tenant can be neither deactivated nor demoted', {
        details: { reason: 'last_admin' },
      });
    }
  }
  const accessChanged = role !== user.role || active !== user.active;
  if (name !== undefined) user.name = name;
  user.role = role;
  user.active = active;
  await em.flush();
  return { user, accessChanged };
}

/**
 * The signed-in user's own password; FORBIDDEN when `current` is wrong. Like a reset, it moves the user
 * to the next session generation: every token issued before is refused from then on (the caller gets
 * a new one), so a password changed because it leaked also ends the sessions opened with it.
 */
export async function changePassword(em: EntityManager, viewer: Viewer, current: string, next: string): Promise<User> {
  if (viewer.kind !== 'user') throw new AppError('FORBIDDEN', 'an API key has no password');
  refuse(passwordIssues(next, '$.newPassword'));
  const user = await em.findOne(User, { id: viewer.userId }, { populate: ['passwordHash'] });
  if (!user || !(await verifyPassword(user.passwordHash, current))) throw new AppError('FORBIDDEN', 'the current password is wrong');
  user.passwordHash = await hashPassword(next);
  user.sessionGeneration += 1;
  await em.flush();
  return user;
}

/** Sets the password of the token's user (an invitation accepted, or a reset), once per token. */
export async function setPasswordWithToken(
  em: EntityManager,
  clock: Clock,
  token: string,
  password: string,
  purpose: 'invitation' | 'password_reset',
): Promise<User> {
  refuse(passwordIssues(password, '$.password'));
  const user = await consumeToken(em, clock, token, purpose);
  user.passwordHash = await hashPassword(password);
  // A reset is for a password someone else may know: the sessions it opened end (their tokens stop working).
  if (purpose === 'password_reset') user.sessionGeneration += 1;
  await em.flush();
  return user;
}
