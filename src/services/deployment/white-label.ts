import { z } from 'zod';
import type { JsonObject } from '../../entities/json.js';
import { camelCasedObject, email, label } from '../shared/schemas.js';

const hexColour = z
  .string()
  .regex(/^#(?:[0-9a-fA-F]{3}){1,2}$/, 'a hex colour such as #1A73E8')
  .transform((value) => value.toUpperCase());

const httpsUrl = z.url({ protocol: /^https$/, error: 'an https:// URL' }).max(2000);

const hostname = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(/^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'a host name such as portal.partner.example');

/**
 * White-label branding of a partner's tenant. Unknown keys are refused (a misspelt `primaryColour` must not
 * silently vanish); snake_case keys are accepted as the seeds write them.
 */
export const whiteLabelConfigSchema = camelCasedObject(
  z.strictObject({
    displayName: label(80),
    primaryColor: hexColour.optional(),
    secondaryColor: hexColour.optional(),
    accentColor: hexColour.optional(),
    logoUrl: httpsUrl.optional(),
    faviconUrl: httpsUrl.optional(),
    supportEmail: email.optional(),
    /** Served at https://<customDomain> instead of a subdomain of ours. */
    customDomain: hostname.optional(),
  }),
);

export type WhiteLabelConfig = z.infer<typeof whiteLabelConfigSchema>;

/** The branding as stored and returned: only the settings given. */
export function brandingJson(config: WhiteLabelConfig): JsonObject {
  return Object.fromEntries(Object.entries(config).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
