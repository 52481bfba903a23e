import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import {
  ACTIVATION_RESOURCE_KINDS,
  ACTIVATION_RESOURCE_STATUSES,
  type ActivationResourceKind,
  type ActivationResourceStatus,
} from '../../../entities/domain/activation-resource.entity.js';
import { ACTIVATION_STATUSES, type ActivationStatus } from '../../../entities/domain/business-activation.entity.js';
import type { JsonObject } from '../../../entities/json.js';
import { JSONObjectScalar } from '../../scalars/index.js';
import { enumOf } from './enums.js';

export const ActivationStatusEnum = enumOf<ActivationStatus>(ACTIVATION_STATUSES);
registerEnumType(ActivationStatusEnum, {
  name: 'ActivationStatus',
  description: 'PROVISIONING while business_activation runs, ACTIVE once its result is compiled, ROLLED_BACK when a failure undid it.',
});

export const ActivationResourceKindEnum = enumOf<ActivationResourceKind>(ACTIVATION_RESOURCE_KINDS);
registerEnumType(ActivationResourceKindEnum, { name: 'ActivationResourceKind' });

export const ActivationResourceStatusEnum = enumOf<ActivationResourceStatus>(ACTIVATION_RESOURCE_STATUSES);
registerEnumType(ActivationResourceStatusEnum, {
  name: 'ActivationResourceStatus',
  description: 'PROVISIONED, or REMOVED by the undo of a failed activation.',
});

@ObjectType('ActivationResource', {
  description: 'One thing an activation provisioned: a Kubernetes object, a data store, an integration, a DNS record, a copilot.',
})
export class ActivationResourceType {
  @Field(() => ActivationResourceKindEnum)
  kind!: ActivationResourceKind;

  @Field()
  name!: string;

  @Field({
    description:
      '`kubernetes` (applied to the configured cluster), `recorded` (no system configured: only this record exists), `switchyard`, or the copilot model: `openai-compatible`, `builtin`.',
  })
  provider!: string;

  @Field(() => ActivationResourceStatusEnum)
  status!: ActivationResourceStatus;

  @Field(() => JSONObjectScalar, { description: 'The manifest, record or answer as made.' })
  details!: JsonObject;

  @Field(() => Date, { nullable: true })
  removedAt!: Date | null;
}

@ObjectType('BusinessActivation', {
  description: 'A business activated by business_activation: the tenant it made for it and what it provisioned.',
})
export class BusinessActivationType {
  @Field(() => ID)
  id!: string;

  @Field(() => ID, { description: 'The run that made it.' })
  executionId!: string;

  @Field()
  businessName!: string;

  @Field()
  industry!: string;

  @Field()
  region!: string;

  @Field()
  currency!: string;

  @Field()
  plan!: string;

  @Field(() => ActivationStatusEnum)
  status!: ActivationStatus;

  @Field(() => ID, { description: 'The tenant made for the business.' })
  tenantId!: string;

  @Field()
  tenantSlug!: string;

  @Field({ description: 'Its admin, invited by e-mail to choose a password.' })
  adminEmail!: string;

  @Field(() => [String], { description: 'The industry preset merged with the feature toggles.' })
  modules!: string[];

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  activatedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  rolledBackAt!: Date | null;

  @Field(() => [ActivationResourceType])
  resources!: ActivationResourceType[];
}
