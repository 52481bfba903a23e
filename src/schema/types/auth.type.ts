import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { PERMISSIONS, type Permission } from '../../auth/permissions.js';
import { USER_ROLES, type UserRole } from '../../entities/statuses.js';

const enumOf = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((value) => [value.replace(/[^A-Za-z0-9]+/g, '_').toUpperCase(), value])) as Record<string, T>;

/** `workflow:view` travels as WORKFLOW_VIEW. */
export const PermissionEnum = enumOf(PERMISSIONS);
registerEnumType(PermissionEnum, { name: 'Permission', description: 'What a viewer may do; `WORKFLOW_VIEW` is `workflow:view`.' });

export const UserRoleEnum = enumOf(USER_ROLES);
registerEnumType(UserRoleEnum, { name: 'UserRole', description: "A user's role: the permissions it grants within the user's tenant." });

export const VIEWER_KINDS = ['user', 'apiKey'] as const;
export type ViewerKind = (typeof VIEWER_KINDS)[number];
export const ViewerKindEnum = { USER: 'user', API_KEY: 'apiKey' } as const satisfies Record<string, ViewerKind>;
registerEnumType(ViewerKindEnum, { name: 'ViewerKind' });

@ObjectType('Tenant', { description: "An organisation whose data is kept apart from every other's." })
export class TenantType {
  @Field(() => ID)
  id!: string;

  @Field()
  slug!: string;

  @Field()
  name!: string;

  /** Left out by mappers that do not know it: TenantResolver's field resolver looks it up then. */
  suspended?: boolean;
  /** The same: TenantResolver.concurrencyLimit. */
  concurrencyLimit?: number | null;
}

@ObjectType('Viewer', { description: 'Who is asking: a signed-in user or an API key.' })
export class ViewerType {
  @Field(() => ViewerKindEnum)
  kind!: ViewerKind;

  @Field(() => ID, { description: "The user's or the API key's id." })
  id!: string;

  @Field({ description: "The user's e-mail or the API key's name." })
  name!: string;

  @Field(() => UserRoleEnum, { nullable: true, description: 'Users only.' })
  role!: UserRole | null;

  @Field({ description: 'The platform admin (the first-start admin), who manages tenants; false for every other user and for API keys.' })
  platformAdmin!: boolean;

  @Field(() => TenantType)
  tenant!: TenantType;

  @Field(() => [PermissionEnum])
  permissions!: Permission[];

  @Field(() => Date, { nullable: true, description: 'When the token expires; null for API keys.' })
  expiresAt!: Date | null;
}

@ObjectType('LoginPayload')
export class LoginPayloadType {
  @Field({
    description: 'Send as `Authorization: Bearer <token>`, or as `{ authorization: "Bearer <token>" }` in graphql-ws connection_init.',
  })
  token!: string;

  @Field()
  expiresAt!: Date;

  @Field(() => ViewerType)
  viewer!: ViewerType;
}
