import { randomUUID } from 'node:crypto';
import { Check, Entity, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import type { JsonObject } from './json.js';
import { Workflow } from './workflow.entity.js';

/** An immutable definition of a workflow; an execution is pinned to the version it started with. */
@Entity({ tableName: 'workflow_versions' })
@Unique({ properties: ['workflow', 'version'] })
@Check({
  name: 'workflow_versions_authored_definition_check',
  expression: 'authored_definition is null or authored_definition::jsonb = definition',
})
export class WorkflowVersion {
  @PrimaryKey({ type: 'uuid' })
  id: string & Opt = randomUUID();

  @ManyToOne(() => Workflow, { ref: true, fieldName: 'workflow_id' })
  workflow!: Ref<Workflow>;

  @Property({ type: 'integer' })
  version!: number;

  /** What the engine reads: jsonb, whose object keys are in its own order (shorter first, then bytewise). */
  @Property({ type: 'json', columnType: 'jsonb' })
  definition!: JsonObject;

  /**
   * The same definition in its author's key order (`json` keeps the text as given): what people are shown.
   * Null for versions saved before it was kept; they are shown as `definition`. The check keeps it the same
   * definition as `definition`, so what people see is what runs.
   */
  @Property({ type: 'json', columnType: 'json', nullable: true })
  authoredDefinition?: JsonObject | null;

  /** The author's name for this version (the seeds' `"version": "1.0.0"`); runs are pinned to `version`, not to this. */
  @Property({ type: 'text', nullable: true })
  label?: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();
}
