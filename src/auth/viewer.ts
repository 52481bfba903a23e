import type { UserRole } from '../entities/statuses.js';
import { AppError } from '../errors.js';
import type { Permission } from './permissions.js';

/** Who is asking: a logged-in user or an integration's API key, always inside one tenant. */
export type Viewer = UserViewer | ApiKeyViewer;

interface ViewerBase {
  readonly tenantId: string;
  readonly permissions: ReadonlySet<Permission>;
}

export interface UserViewer extends ViewerBase {
  readonly kind: 'user';
  readonly userId: string;
  readonly email: string;
  readonly role: UserRole;
  /** The first-start admin, who manages tenants (an admin role alone administers one tenant). */
  readonly platformAdmin: boolean;
  /** When the token it came with expires: long-lived connections are closed then. */
  readonly expiresAt: Date;
  /** The generation of the user's sessions the token belongs to: a password reset ends it. */
  readonly sessionGeneration: number;
}

export interface ApiKeyViewer extends ViewerBase {
  readonly kind: 'apiKey';
  readonly apiKeyId: string;
  readonly name: string;
  readonly expiresAt?: undefined;
}

/** How the viewer is named in audit fields (`DomainEvent.source`…). */
export function viewerSource(viewer: Viewer): string {
  return viewer.kind === 'user' ? `user:${viewer.userId}` : `api-key:${viewer.apiKeyId}`;
}

/** The rate-limit bucket: users share their tenant's, each API key has its own. */
export function viewerBucket(viewer: Viewer): string {
  return viewer.kind === 'user' ? `tenant:${viewer.tenantId}` : `api-key:${viewer.apiKeyId}`;
}

/** The platform admin (an admin user marked so: the first-start admin) manages tenants and every tenant's API keys; nothing else crosses tenants. */
export function isPlatformAdmin(viewer: Viewer): boolean {
  return viewer.kind === 'user' && viewer.role === 'admin' && viewer.platformAdmin;
}

export function requireViewer(viewer: Viewer | undefined): Viewer {
  if (!viewer) throw new AppError('UNAUTHENTICATED', 'sign in (Authorization: Bearer <token or API key>)');
  return viewer;
}
