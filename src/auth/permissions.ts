import type { UserRole } from '../entities/statuses.js';

/**
 * What a viewer may do. Every root field of the schema names the permissions it needs
 * (`@Requires(...)`), except the few public ones below; a test walks the schema to keep it so.
 */
export const PERMISSIONS = [
  'workflow:view',
  'workflow:create',
  'workflow:execute',
  'workflow:delete',
  'execution:view',
  'execution:cancel',
  'execution:retry',
  'execution:pause',
  'event:publish',
  'apikey:manage',
  'user:manage',
  // Reading the audit log (admins).
  'audit:view',
  // Pausing and resuming workflows' cron schedules.
  'schedule:manage',
  // The domain: leads, quotes, customers, installation tickets (manage) and everything the workflows made (view).
  'crm:view',
  'crm:manage',
  // The price list and the partners: plans and resellers with their seat pools.
  'catalog:manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export function isPermission(value: string): value is Permission {
  return (PERMISSIONS as readonly string[]).includes(value);
}

const VIEW: readonly Permission[] = ['workflow:view', 'execution:view'];

/** Each role's permissions; every role is confined to its own tenant. */
export const ROLE_PERMISSIONS: { readonly [R in UserRole]: ReadonlySet<Permission> } = {
  admin: new Set(PERMISSIONS),
  operator: new Set([
    ...VIEW,
    'workflow:execute',
    'execution:cancel',
    'execution:retry',
    'execution:pause',
    'event:publish',
    'schedule:manage',
    'crm:view',
    'crm:manage',
  ]),
  viewer: new Set([...VIEW, 'crm:view']),
  partner: new Set([...VIEW, 'workflow:execute']),
};

/** Root fields anyone may call: logging in is how a viewer comes to exist; the others carry a one-time token or answer the same to everyone. */
export const PUBLIC_OPERATIONS: ReadonlySet<string> = new Set(['login', 'acceptInvitation', 'requestPasswordReset', 'resetPassword']);
