import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { LINEAGE_ACTIONS, RECORD_TYPES, type LineageAction, type RecordType } from '../../entities/record-lineage.entity.js';
import { enumOf } from './execution.type.js';

export const RecordTypeEnum = enumOf(RECORD_TYPES);
registerEnumType(RecordTypeEnum, {
  name: 'RecordType',
  description:
    'The domain records whose lineage is kept. ALLOCATION is a service instance with its address and VLAN (the Allocation’s serviceId); a QUOTE includes its lines, a PARTNER its seat pool and the commissions it is owed.',
});

export const LineageActionEnum = enumOf(LINEAGE_ACTIONS);
registerEnumType(LineageActionEnum, {
  name: 'LineageAction',
  description:
    'CREATED the record, or UPDATED it (or a part of it: an allocation’s address, a ticket’s appointment, a quote’s lines, a partner’s seats or commissions).',
});

/** The run is resolved by RecordLineageResolver (through the request's execution loader). */
@ObjectType('RecordOrigin', { description: 'The run and step that created a record.' })
export class RecordOriginType {
  executionId!: string;

  @Field({ description: 'The step’s key in that run (a compensation counts as the step it undoes).' })
  step!: string;

  @Field({ description: 'When the step’s change committed.' })
  at!: Date;
}

@ObjectType('RecordTouch', { description: 'A run and step that created or changed a record.' })
export class RecordTouchType extends RecordOriginType {
  @Field(() => LineageActionEnum)
  action!: LineageAction;
}

@ObjectType('TouchedRecord', { description: 'A record a run’s step created or changed.' })
export class TouchedRecordType {
  @Field(() => RecordTypeEnum)
  type!: RecordType;

  @Field(() => ID, { description: 'The record’s id (an allocation’s serviceId).' })
  id!: string;

  @Field()
  step!: string;

  @Field(() => LineageActionEnum)
  action!: LineageAction;

  @Field()
  at!: Date;
}
