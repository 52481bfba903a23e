import { generateApiKey } from '../../auth/api-key-format.js';
import { clockOf } from '../../auth/clock.js';
import { ROLE_PERMISSIONS } from '../../auth/permissions.js';
import { accountLink, publicUrlOf } from '../../auth/users/account-links.js';
import { LINK_PLACEHOLDER } from '../../auth/users/invitations.js';
import { issueToken } from '../../auth/users/one-time-tokens.js';
import { NO_PASSWORD } from '../../auth/users/users.js';
import { ApiKey } from '../../entities/auth/api-key.entity.js';
import type { BusinessActivation } from '../../entities/domain/business-activation.entity.js';
import { OutboxMessage, type EmailOutboxPayload } from '../../entities/domain/outbox-message.entity.js';
import type { Tenant } from '../../entities/tenant.entity.js';
import { User } from '../../entities/user.entity.js';
import type { ServiceCallContext } from '../registry.js';

/** The outbox template of the e-mail that carries a business's first credentials. */
export const ACTIVATION_EMAIL_TEMPLATE = 'business_activated';

/** What the business's first key may do: its integrations run workflows, publish events, keep CRM records — not manage users or keys. */
export const ACTIVATION_KEY_PERMISSIONS = [...ROLE_PERMISSIONS.operator].sort();

export interface DeliveredCredentials {
  adminEmail: string;
  adminInvitation: 'pending' | 'accepted';
  /** The key's public part (`sy_<prefix>_…`): what `apiKeys` lists it by. Its secret is in the e-mail only. */
  apiKeyPrefix: string;
  apiKeyPermissions: string[];
  /** Where the key (and a pending invitation) went: the admin's welcome e-mail. */
  deliveredTo: 'welcome_email';
}

/** Who made a key: `activation:<id>` (ApiKey.createdBy). */
const maker = (activation: BusinessActivation) => `activation:${activation.id}`;

function welcomeText(
  business: string,
  endpoints: { webConsole: string; graphql: string },
  key: string,
  invitation?: { link: string; expiresAt: Date },
) {
  return [
    'Hello,',
    '',
    `${business} is active on Switchyard: its console is ${endpoints.webConsole}, its API ${endpoints.graphql}.`,
    '',
    ...(invitation
      ? [
          `You are its administrator. Open this link to choose your password; it works once, until ${invitation.expiresAt.toISOString()}:`,
          '',
          invitation.link,
          '',
        ]
      : []),
    'Your integrations sign in with this API key (Authorization: Bearer <key>). It is shown this once: keep it in a secret store.',
    `It may ${ACTIVATION_KEY_PERMISSIONS.join(', ')}; revoke it (revokeApiKey) and make others (createApiKey) once you are signed in.`,
    '',
    key,
    '',
  ].join('\n');
}

/**
 * The business's first API key and its admin's invitation, made in the step's transaction and sent in one
 * welcome e-mail through the outbox: the key is stored as the hash of its secret (as every key is), the
 * invitation as the hash of its token, and their plain text exists only in that e-mail — never in the
 * step's output, the run's context, its events or its logs; outbox listings show the e-mail without them,
 * and the dispatcher keeps only that shown text once it is sent. Once per activation: a retried or re-run
 * step finds the key it made (its `createdBy`) and sends nothing again. An admin who has chosen a password
 * already gets no invitation in it.
 */
export async function deliverCredentials(
  ctx: ServiceCallContext,
  activation: BusinessActivation,
  tenant: Tenant,
  endpoints: { webConsole: string; graphql: string },
): Promise<DeliveredCredentials> {
  const admin = await ctx.em.findOneOrFail(
    User,
    { tenant: tenant.id, email: activation.adminEmail },
    { populate: ['passwordHash'], filters: false },
  );
  const pending = admin.passwordHash === NO_PASSWORD;
  const credentials = (prefix: string): DeliveredCredentials => ({
    adminEmail: activation.adminEmail,
    adminInvitation: pending ? 'pending' : 'accepted',
    apiKeyPrefix: prefix,
    apiKeyPermissions: ACTIVATION_KEY_PERMISSIONS,
    deliveredTo: 'welcome_email',
  });
  const earlier = await ctx.em.findOne(ApiKey, { tenant: tenant.id, createdBy: maker(activation) }, { filters: false });
  if (earlier) return credentials(earlier.prefix);

  const generated = generateApiKey();
  ctx.em.create(ApiKey, {
    tenant,
    name: `${activation.businessName} integrations (business activation)`.slice(0, 100),
    prefix: generated.prefix,
    secretHash: generated.secretHash,
    permissions: ACTIVATION_KEY_PERMISSIONS,
    createdBy: maker(activation),
  });
  const issued = pending ? await issueToken(ctx.em, clockOf(ctx.em), admin, 'invitation') : undefined;
  const invitation = issued && { link: accountLink(publicUrlOf(ctx.em), 'invitation', issued.token), expiresAt: issued.expiresAt };
  const hidden = invitation && { link: LINK_PLACEHOLDER, expiresAt: invitation.expiresAt };
  const payload: EmailOutboxPayload = {
    to: admin.email,
    ...(admin.name ? { toName: admin.name } : {}),
    subject: `${activation.businessName} is active on Switchyard`.replace(/[\r\n]+/g, ' '),
    text: welcomeText(activation.businessName, endpoints, generated.key, invitation),
    shownText: welcomeText(activation.businessName, endpoints, '(API key, shown only to its recipient)', hidden),
    template: ACTIVATION_EMAIL_TEMPLATE,
  };
  ctx.em.create(OutboxMessage, { tenant, kind: 'email', payload, nextAttemptAt: ctx.now });
  await ctx.em.flush();
  return credentials(generated.prefix);
}
