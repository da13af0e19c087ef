import { Column, Entity, Index } from 'typeorm';
import { NormalizedKey } from './normalized-key.decorator';
import { TenantOwnedEntity } from './tenant-owned.entity';

export type ImportJobStatus = 'queued' | 'running' | 'succeeded' | 'failed';
export type ImportMode = 'replace' | 'merge';

/**
 * A CSV import run by the worker (issue #16): the uploaded file, encrypted (it holds contact
 * details) until the job ends, its progress and its per-row problems. SQL, not Redis, holds
 * it, so a worker start can re-enqueue a job Redis has lost.
 */
@Entity('import_job')
@Index('ix_import_job_tenant_list', ['tenantId', 'listId'])
@Index('ix_import_job_status', ['status'])
export class ImportJobEntity extends TenantOwnedEntity {
  /** The list whose entries the import replaces; no foreign key (one cascade path per table). */
  @Column({ type: 'varchar', length: 36 })
  @NormalizedKey()
  listId!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: ImportJobStatus;

  /** `replace`: the file becomes the list's entries; `merge`: its rows add to or update them. */
  @Column({ type: 'varchar', length: 10, default: 'replace' })
  mode!: ImportMode;

  /** The CSV, sealed with the row cipher; cleared when the job ends. */
  @Column({ type: 'text', nullable: true })
  csvEncrypted!: string | null;

  @Column({ type: 'integer', default: 0 })
  sizeBytes!: number;

  /** Rows read so far (validation, then writing); total is known once the file is parsed. */
  @Column({ type: 'integer', default: 0 })
  processed!: number;

  @Column({ type: 'integer', nullable: true })
  total!: number | null;

  /** Attempts the worker started; a job interrupted too often fails rather than loops. */
  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  /** JSON: up to the first 1,000 problems, [{row, field, message}]. */
  @Column({ type: 'text', nullable: true })
  problems!: string | null;

  @Column({ type: 'integer', default: 0 })
  problemCount!: number;

  /** JSON: {imported, replaced} on success. */
  @Column({ type: 'text', nullable: true })
  result!: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  message!: string | null;

  @Column({ type: Date, nullable: true })
  finishedAt!: Date | null;
}
