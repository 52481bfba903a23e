import { Field, ID, ObjectType } from 'type-graphql';
import type { Permission } from '../../auth/permissions.js';
import { PermissionEnum, TenantType } from './auth.type.js';

@ObjectType('ApiKey', { description: "An integration's credential. Its secret is shown once, when it is created." })
export class ApiKeyType {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field({ description: 'The public start of the key, `sy_<prefix>_…`, to tell keys apart.' })
  prefix!: string;

  @Field(() => [PermissionEnum])
  permissions!: Permission[];

  @Field(() => TenantType)
  tenant!: TenantType;

  @Field({ description: "`user:<id>`, `api-key:<id>`, or `activation:<id>` (made by a business's activation)." })
  createdBy!: string;

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'To the minute.' })
  lastUsedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  revokedAt!: Date | null;
}

@ObjectType('CreatedApiKey')
export class CreatedApiKeyType {
  @Field({ description: 'The whole key, `sy_<prefix>_<secret>`. Shown this once: only a hash of it is kept.' })
  key!: string;

  @Field(() => ApiKeyType)
  apiKey!: ApiKeyType;
}
