import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { MAX_TENANT_CONCURRENCY_LIMIT, MIN_TENANT_CONCURRENCY_LIMIT } from '../../entities/tenant.entity.js';
import type { UserRole } from '../../entities/statuses.js';
import { UserRoleEnum } from './auth.type.js';

@ObjectType('User', { description: 'A person who signs in to a tenant; what they may do comes from their role.' })
export class UserType {
  @Field(() => ID)
  id!: string;

  @Field()
  email!: string;

  @Field()
  name!: string;

  @Field(() => UserRoleEnum)
  role!: UserRole;

  @Field({ description: 'False: every sign-in and every token already issued is refused.' })
  active!: boolean;

  @Field({ description: 'Invited and not yet accepted: no password is set.' })
  invitationPending!: boolean;

  @Field()
  createdAt!: Date;
}

@InputType('CreateUserInput')
export class CreateUserInput {
  @Field({ description: 'Unique across tenants (sign-in is by e-mail).' })
  email!: string;

  @Field()
  name!: string;

  @Field(() => UserRoleEnum)
  role!: UserRole;

  @Field(() => String, {
    nullable: true,
    description:
      'At least 12 characters: the user signs in at once. Left out: an invitation is e-mailed (through the outbox) with a one-time token for `acceptInvitation`.',
  })
  password?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: "The tenant's id. Left out: yours. Only the platform admin adds users to another tenant (FORBIDDEN otherwise).",
  })
  tenant?: string | null;
}

@InputType('UpdateUserInput')
export class UpdateUserInput {
  @Field(() => String, { nullable: true, description: 'Left out: unchanged.' })
  name?: string | null;

  @Field(() => UserRoleEnum, {
    nullable: true,
    description: "Left out: unchanged. Takes effect on tokens already issued within seconds, and closes the user's websockets.",
  })
  role?: UserRole | null;

  @Field(() => Boolean, { nullable: true, description: 'False: refused from then on, tokens already issued and websockets included.' })
  active?: boolean | null;
}

@InputType('CreateTenantInput')
export class CreateTenantInput {
  @Field({ description: 'Lower-case letters, digits and inner hyphens; unique.' })
  slug!: string;

  @Field()
  name!: string;

  @Field({ description: 'Its first admin, invited by e-mail (a one-time token for `acceptInvitation`).' })
  adminEmail!: string;
}

@InputType('UpdateTenantInput')
export class UpdateTenantInput {
  @Field(() => String, { nullable: true, description: 'Left out: unchanged.' })
  name?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      "True: the tenant's users and API keys are refused (TENANT_SUSPENDED), tokens already issued and websockets included; false: lifted.",
  })
  suspended?: boolean | null;

  @Field(() => Int, {
    nullable: true,
    description: `Its own limit of top-level runs in progress at once (${MIN_TENANT_CONCURRENCY_LIMIT}–${MAX_TENANT_CONCURRENCY_LIMIT}), in force at once; null: back to the deployment's. Left out: unchanged.`,
  })
  concurrencyLimit?: number | null;
}
