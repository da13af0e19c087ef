import { In, type DataSource } from 'typeorm';
import { ImportJobEntity } from '../entities/import-job.entity';
import type { RowCipher } from '../encryption/row-cipher';
import { withTransaction } from '../with-transaction';

/**
 * CSV import jobs; the uploaded file is sealed with the row cipher here. Writes are short
 * transactions of their own (SQLite has one writer, shared with the import's own writes).
 */
export class ImportJobRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly rows: RowCipher,
  ) {}

  /** Seals `csv` into the job row and inserts it. */
  async insert(job: ImportJobEntity, csv: string): Promise<void> {
    this.rows.seal(ImportJobEntity, job, 'csvEncrypted', csv);
    await withTransaction(this.dataSource, (manager) =>
      manager.getRepository(ImportJobEntity).insert(job),
    );
  }

  /**
   * The job of a list, with every column but the stored CSV: a status poll must not read (and
   * the API's event loop copy) megabytes of ciphertext each time.
   */
  async findStatus(tenantId: string, listId: string, id: string): Promise<ImportJobEntity | null> {
    return this.dataSource.getRepository(ImportJobEntity).findOne({
      where: { id, tenantId, listId },
      select: {
        id: true,
        tenantId: true,
        listId: true,
        status: true,
        sizeBytes: true,
        processed: true,
        total: true,
        problems: true,
        problemCount: true,
        result: true,
        message: true,
        createdAt: true,
        finishedAt: true,
      },
    });
  }

  /** The whole job (the worker's read, sealed CSV included). */
  async findById(id: string): Promise<ImportJobEntity | null> {
    return this.dataSource.getRepository(ImportJobEntity).findOne({ where: { id } });
  }

  /** The job's CSV in plain text ('' once it was dropped). */
  csvOf(job: ImportJobEntity): string {
    return this.rows.open(ImportJobEntity, job, 'csvEncrypted') ?? '';
  }

  async update(id: string, changes: Partial<ImportJobEntity>): Promise<void> {
    await withTransaction(this.dataSource, (manager) =>
      manager.getRepository(ImportJobEntity).update({ id }, { ...changes, updatedAt: new Date() }),
    );
  }

  /** Queued and running jobs (ids and tenants only), of every tenant. */
  async listUnfinished(): Promise<Pick<ImportJobEntity, 'id' | 'tenantId'>[]> {
    return this.dataSource.getRepository(ImportJobEntity).find({
      select: { id: true, tenantId: true },
      where: { status: In(['queued', 'running']) },
    });
  }
}
