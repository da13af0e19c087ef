import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { PortableColumns } from './portable-columns';

/**
 * Per-mailbox outcomes of every run in SQL (issue #19): the run's outcomes paged and filtered,
 * and a mailbox's history across runs. Only the tenant cascades (one cascade path: SQL Server).
 */
export class RunMailbox1733086000000 implements MigrationInterface {
  name = 'RunMailbox1733086000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = new PortableColumns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'run_mailbox',
        columns: [
          c.id(),
          c.uuid('tenant_id'),
          c.uuid('run_id'),
          c.uuid('list_id'),
          c.uuid('mailbox_id'),
          c.string('outcome', 16),
          c.string('code', 64, { nullable: true }),
          c.string('message', 500, { nullable: true }),
          c.integer('items_created', { default: 0 }),
          c.integer('items_updated', { default: 0 }),
          c.integer('items_deleted', { default: 0 }),
          c.date('finished_at'),
          ...c.timestamps(),
        ],
        indices: [
          new TableIndex({
            name: 'uq_run_mailbox_run_mailbox',
            columnNames: ['run_id', 'mailbox_id'],
            isUnique: true,
          }),
          new TableIndex({
            name: 'ix_run_mailbox_tenant_mailbox',
            columnNames: ['tenant_id', 'mailbox_id', 'finished_at'],
          }),
          new TableIndex({ name: 'ix_run_mailbox_finished', columnNames: ['finished_at'] }),
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
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('run_mailbox', false, true, true);
  }
}
