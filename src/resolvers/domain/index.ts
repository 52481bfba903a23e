import { DomainActivationResolver } from './activation.resolver.js';
import { DomainCatalogResolver } from './catalog.resolver.js';
import { DomainCrmResolver } from './crm.resolver.js';
import { DomainPaymentsResolver } from './payments.resolver.js';
import { DomainPipelineResolver } from './pipeline.resolver.js';
import { DomainRecordsResolver } from './records.resolver.js';
import type { ResolverClass } from '../resolver-class.js';

/** The domain's GraphQL: what people do that starts the built-in workflows, and what the workflows made. */
export const DOMAIN_RESOLVERS: ResolverClass[] = [
  DomainCrmResolver,
  DomainCatalogResolver,
  DomainRecordsResolver,
  DomainPaymentsResolver,
  DomainPipelineResolver,
  DomainActivationResolver,
];
