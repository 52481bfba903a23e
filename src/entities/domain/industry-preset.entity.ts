import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * An industry's starting set of modules (seed 003 §1, step 3), merged with an activation's feature
 * toggles. A reference table shared by every tenant, seeded by its migration.
 */
@Entity({ tableName: 'industry_presets' })
export class IndustryPreset {
  /** `ecommerce`, `healthcare`, `logistics`… */
  @PrimaryKey({ type: 'text' })
  industry!: string;

  @Property({ type: 'text' })
  label!: string;

  @Property({ type: 'json', columnType: 'jsonb' })
  modules!: string[];
}
