import {
  MigrationInterface,
  QueryRunner,
  Table,
  TableColumn,
  TableForeignKey,
  TableIndex,
} from 'typeorm';
import { PortableColumns } from './portable-columns';

/**
 * CSV imports as worker jobs (issue #16): the import_job table, and list entry generations so
 * an import stages its rows and switches the list to them in one short transaction.
 */
export class ImportJobs1732710000000 implements MigrationInterface {
  name = 'ImportJobs1732710000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = new PortableColumns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'import_job',
        columns: [
          c.id(),
          c.uuid('tenant_id'),
          c.uuid('list_id'),
          c.string('status', 16),
          { ...c.text('csv_encrypted', { nullable: true }) },
          c.integer('size_bytes', { default: 0 }),
          c.integer('processed', { default: 0 }),
          { ...c.integer('total'), isNullable: true },
          c.integer('attempts', { default: 0 }),
          c.text('problems', { nullable: true }),
          c.integer('problem_count', { default: 0 }),
          c.text('result', { nullable: true }),
          c.string('message', 500, { nullable: true }),
          c.date('finished_at', { nullable: true }),
          ...c.timestamps(),
        ],
        indices: [
          new TableIndex({
            name: 'ix_import_job_tenant_list',
            columnNames: ['tenant_id', 'list_id'],
          }),
          new TableIndex({ name: 'ix_import_job_status', columnNames: ['status'] }),
        ],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['tenant_id'],
            referencedTableName: 'tenant',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
      false,
      true,
      true,
    );
    await queryRunner.addColumn(
      'contact_list',
      new TableColumn(c.string('entry_generation', 36, { default: '' })),
    );
    await queryRunner.dropIndex('list_entry', 'uq_list_entry_list_source_key');
    await queryRunner.addColumn(
      'list_entry',
      new TableColumn(c.string('generation', 36, { default: '' })),
    );
    await queryRunner.createIndex(
      'list_entry',
      new TableIndex({
        name: 'uq_list_entry_list_generation_source_key',
        columnNames: ['list_id', 'source_key', 'generation'],
        isUnique: true,
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Only the current generation survives the way down (the old key is unique per list).
    await queryRunner.query(
      'DELETE FROM list_entry WHERE generation <> (SELECT entry_generation FROM contact_list WHERE contact_list.id = list_entry.list_id)',
    );
    await queryRunner.dropIndex('list_entry', 'uq_list_entry_list_generation_source_key');
    await queryRunner.dropColumn('list_entry', 'generation');
    await queryRunner.createIndex(
      'list_entry',
      new TableIndex({
        name: 'uq_list_entry_list_source_key',
        columnNames: ['list_id', 'source_key'],
        isUnique: true,
      }),
    );
    await queryRunner.dropColumn('contact_list', 'entry_generation');
    await queryRunner.dropTable('import_job', false, true, true);
  }
}
