import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType('WebhookSecret', { description: 'A signing secret of an inbound webhook source. The secret is shown once, when it is made.' })
export class WebhookSecretType {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'The source it signs: deliveries go to `POST /webhooks/<source>`.' })
  source!: string;

  @Field({ description: 'The path deliveries are POSTed to, `/webhooks/<source>`.' })
  path!: string;

  @Field({ description: 'The start of the secret, `whsec_` and four characters, to tell secrets apart.' })
  prefix!: string;

  @Field({ description: '`user:<id>` or `api-key:<id>`.' })
  createdBy!: string;

  @Field()
  createdAt!: Date;

  @Field(() => Date, {
    nullable: true,
    description: 'Null: live. Set: verifies until then (a rotated secret in its overlap, or revoked), never after.',
  })
  expiresAt!: Date | null;
}

@ObjectType('CreatedWebhookSecret')
export class CreatedWebhookSecretType {
  @Field({ description: 'The whole secret, `whsec_…`, to give the provider. Shown this once: no answer carries it again.' })
  secret!: string;

  @Field(() => WebhookSecretType)
  webhookSecret!: WebhookSecretType;
}
