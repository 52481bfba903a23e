import { randomUUID } from 'node:crypto';
import { Entity, Index, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { Tenant } from '../tenant.entity.js';
import { Invoice } from './invoice.entity.js';

/** A rendered file kept for sending and downloading: an invoice's PDF (one per invoice). */
@Entity({ tableName: 'documents' })
@Unique({ properties: ['invoice'] })
@Index({ properties: ['tenant', 'createdAt'] })
export class StoredDocument {
  @PrimaryKey({ type: 'uuid' })
  id: string & Opt = randomUUID();

  @ManyToOne(() => Tenant, { ref: true, fieldName: 'tenant_id' })
  tenant!: Ref<Tenant>;

  @ManyToOne(() => Invoice, { ref: true, fieldName: 'invoice_id', nullable: true, deleteRule: 'restrict' })
  invoice?: Ref<Invoice>;

  @Property({ type: 'text' })
  filename!: string;

  @Property({ type: 'text' })
  contentType!: string;

  @Property({ type: 'blob', lazy: true })
  content!: Buffer;

  @Property({ type: 'integer' })
  size!: number;

  /** Hex SHA-256 of the content. */
  @Property({ type: 'text' })
  sha256!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();
}
