import { ActivationResource } from './activation-resource.entity.js';
import { BusinessActivation } from './business-activation.entity.js';
import { IndustryPreset } from './industry-preset.entity.js';
import { LedgerAccount } from './ledger-account.entity.js';
import type { EntityClass } from '../entity-class.js';

export { ActivationResource, BusinessActivation, IndustryPreset, LedgerAccount };

/** The tables of business_activation (issue 18, seed 003 §1), and the chart of accounts it seeds. */
export const ACTIVATION_ENTITIES: EntityClass[] = [BusinessActivation, ActivationResource, IndustryPreset, LedgerAccount];
