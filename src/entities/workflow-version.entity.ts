import { randomUUID } from 'node:crypto';
import { Entity, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import type { JsonObject } from './json.js';
import { Workflow } from './workflow.entity.js';

/** An immutable definition of a workflow; an execution is pinned to the version it started with. */
@Entity({ tableName: 'workflow_versions' })
@Unique({ properties: ['workflow', 'version'] })
export class WorkflowVersion {
  @PrimaryKey({ type: 'uuid' })
  id: string & Opt = randomUUID();

  @ManyToOne(() => Workflow, { ref: true, fieldName: 'workflow_id' })
  workflow!: Ref<Workflow>;

  @Property({ type: 'integer' })
  version!: number;

  @Property({ type: 'json', columnType: 'jsonb' })
  definition!: JsonObject;

  /** The author's name for this version (the seeds' `"version": "1.0.0"`); runs are pinned to `version`, not to this. */
  @Property({ type: 'text', nullable: true })
  label?: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();
}
