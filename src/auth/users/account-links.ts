import type { OneTimeTokenPurpose } from '../../entities/auth/one-time-token.entity.js';

/**
 * The console's pages a one-time token opens (console/src/App.tsx routes them): an invitation is accepted
 * and a password reset at these paths, with the token as `?token=`.
 */
export const ACCOUNT_LINK_PATHS: { readonly [P in OneTimeTokenPurpose]: string } = {
  invitation: '/accept-invitation',
  password_reset: '/reset-password',
};

/** Where e-mailed links point when nothing was configured: a local server on the default port. */
export const DEFAULT_PUBLIC_URL = 'http://localhost:4000';

/**
 * Where people reach this deployment (SWITCHYARD_PUBLIC_URL, else this process's own address), per ORM
 * instance and read when an e-mail is rendered: any EntityManager forked from the ORM finds it (as the
 * clock, auth/clock.ts), so the API, a workflow step and a test server each link to their own.
 */
const publicUrls = new WeakMap<object, () => string>();

export function setPublicUrl(orm: { config: object }, publicUrl: () => string): void {
  publicUrls.set(orm.config, publicUrl);
}

export function publicUrlOf(em: { config: object }): string {
  return publicUrls.get(em.config)?.() ?? DEFAULT_PUBLIC_URL;
}

/** The console page that takes this token: `<public URL>/accept-invitation?token=…` (or /reset-password). */
export function accountLink(publicUrl: string, purpose: OneTimeTokenPurpose, token: string): string {
  // Relative to the public URL's own path, should the deployment be served below one.
  const base = new URL(publicUrl.endsWith('/') ? publicUrl : `${publicUrl}/`);
  const link = new URL(ACCOUNT_LINK_PATHS[purpose].slice(1), base);
  link.searchParams.set('token', token);
  return link.href;
}
