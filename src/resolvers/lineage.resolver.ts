import { Ctx, FieldResolver, Resolver, Root, type ClassType } from 'type-graphql';
import { Requires } from '../auth/auth-checker.js';
import type { RequestContext } from '../context.js';
import type { RecordTouchRecord } from '../engine/index.js';
import type { RecordType } from '../entities/record-lineage.entity.js';
import { PartnerType } from '../schema/types/domain/catalog.type.js';
import { CustomerType, LeadType, QuoteType, TicketType } from '../schema/types/domain/crm.type.js';
import { PaymentIntentType } from '../schema/types/domain/payments.type.js';
import {
  AllocationType,
  DeploymentType,
  InvoiceType,
  LicenseType,
  OrderType,
  PaymentType,
  SubscriptionType,
} from '../schema/types/domain/records.type.js';
import { ExecutionType } from '../schema/types/execution.type.js';
import { RecordOriginType, RecordTouchType, TouchedRecordType } from '../schema/types/lineage.type.js';
import type { ResolverClass } from './resolver-class.js';
import { toExecutionType } from './execution-mappers.js';
import { loadersOf } from './loaders/execution.loader.js';

const toTouch = (touch: RecordTouchRecord): RecordTouchType => ({
  executionId: touch.executionId,
  step: touch.stepKey,
  action: touch.action,
  at: touch.at,
});

/**
 * `createdBy` and `touchedBy` on a record type: one statement for every record of a response (the
 * request's lineage loader), bound to the viewer's tenant like every read of runs. They name runs, so
 * they need execution:view besides what the record itself needs.
 */
function lineageFieldsOf<T extends object>(type: ClassType<T>, recordType: RecordType, idOf: (record: T) => string): ResolverClass {
  @Resolver(() => type)
  class RecordLineageFields {
    @Requires('execution:view')
    @FieldResolver(() => RecordOriginType, {
      nullable: true,
      description: 'The run and step that created it; null when no workflow step did (made through the API, or before lineage was kept).',
    })
    async createdBy(@Root() record: T, @Ctx() ctx: RequestContext): Promise<RecordOriginType | null> {
      const touches = await loadersOf(ctx).lineage.load({ type: recordType, id: idOf(record) });
      const created = touches.find((touch) => touch.action === 'created');
      return created ? toTouch(created) : null;
    }

    @Requires('execution:view')
    @FieldResolver(() => [RecordTouchType], { description: 'Every run and step that created or changed it, oldest first (the first 100).' })
    async touchedBy(@Root() record: T, @Ctx() ctx: RequestContext): Promise<RecordTouchType[]> {
      return (await loadersOf(ctx).lineage.load({ type: recordType, id: idOf(record) })).map(toTouch);
    }
  }
  return RecordLineageFields;
}

/** `execution` of a RecordOrigin or a RecordTouch: the request's execution loader, one statement for all. */
function executionFieldOf(type: ClassType<RecordOriginType>): ResolverClass {
  @Resolver(() => type)
  class RecordExecutionField {
    @Requires('execution:view')
    @FieldResolver(() => ExecutionType)
    async execution(@Root() origin: RecordOriginType, @Ctx() ctx: RequestContext): Promise<ExecutionType> {
      const record = await loadersOf(ctx).execution.load(origin.executionId);
      // Lineage is read joined to the tenant's runs, which are never deleted.
      if (!record) throw new Error(`lineage names execution ${origin.executionId}, which is not the viewer's tenant's`);
      return toExecutionType(record);
    }
  }
  return RecordExecutionField;
}

@Resolver(() => ExecutionType)
export class ExecutionTouchedRecordsResolver {
  @Requires('execution:view', 'crm:view')
  @FieldResolver(() => [TouchedRecordType], { description: 'The domain records its steps created or changed, in the order they did.' })
  async touchedRecords(@Root() execution: ExecutionType, @Ctx() ctx: RequestContext): Promise<TouchedRecordType[]> {
    const touches = await loadersOf(ctx).touchedRecords.load(execution.id);
    return touches.map((touch) => ({
      type: touch.recordType,
      id: touch.recordId,
      step: touch.stepKey,
      action: touch.action,
      at: touch.at,
    }));
  }
}

export const LINEAGE_RESOLVERS: ResolverClass[] = [
  lineageFieldsOf(CustomerType, 'customer', (record) => record.id),
  lineageFieldsOf(SubscriptionType, 'subscription', (record) => record.id),
  lineageFieldsOf(LicenseType, 'license', (record) => record.id),
  lineageFieldsOf(DeploymentType, 'deployment', (record) => record.id),
  lineageFieldsOf(AllocationType, 'allocation', (record) => record.serviceId),
  lineageFieldsOf(OrderType, 'order', (record) => record.id),
  lineageFieldsOf(TicketType, 'ticket', (record) => record.id),
  lineageFieldsOf(LeadType, 'lead', (record) => record.id),
  lineageFieldsOf(QuoteType, 'quote', (record) => record.id),
  lineageFieldsOf(InvoiceType, 'invoice', (record) => record.id),
  lineageFieldsOf(PaymentType, 'payment', (record) => record.id),
  lineageFieldsOf(PaymentIntentType, 'payment_intent', (record) => record.id),
  lineageFieldsOf(PartnerType, 'partner', (record) => record.id),
  executionFieldOf(RecordOriginType),
  executionFieldOf(RecordTouchType),
  ExecutionTouchedRecordsResolver,
];
