import { randomCrockford } from '../shared/identifiers.js';

/** Names a tenant may not take as its own: they are, or may become, our own hosts. */
const RESERVED_SLUGS = new Set(['admin', 'api', 'app', 'auth', 'graphql', 'login', 'mail', 'status', 'support', 'www']);
const MAX_SLUG_LENGTH = 40;

/** `Ünïcorn Labs, Inc.` → `unicorn-labs-inc`: ASCII letters, digits and single hyphens, DNS-label safe. */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/-+$/g, '');
  return slug || 'tenant';
}

/** The slugs to try in order: the name's own (unless reserved), then with random suffixes. */
export function slugCandidates(name: string, attempts = 6): string[] {
  const base = slugify(name);
  const suffixed = Array.from({ length: attempts }, () => `${base}-${randomCrockford(4).toLowerCase()}`);
  return RESERVED_SLUGS.has(base) ? suffixed : [base, ...suffixed];
}
