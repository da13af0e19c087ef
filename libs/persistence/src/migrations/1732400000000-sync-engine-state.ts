import {
  MigrationInterface,
  QueryRunner,
  Table,
  TableColumn,
  TableForeignKey,
  TableIndex,
} from 'typeorm';
import { PortableColumns } from './portable-columns';

/** State the sync engine keeps: mailbox kind and last run per mailbox, run mode, source cursors. */
export class SyncEngineState1732400000000 implements MigrationInterface {
  name = 'SyncEngineState1732400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = new PortableColumns(queryRunner);
    await queryRunner.addColumns('mailbox_state', [
      new TableColumn(c.string('mailbox_kind', 20, { nullable: true })),
      new TableColumn(c.date('mailbox_kind_checked_at', { nullable: true })),
      new TableColumn(c.uuid('last_run_id', { nullable: true })),
    ]);
    await queryRunner.addColumn(
      'sync_run',
      new TableColumn(c.string('mode', 10, { default: 'sync' })),
    );
    await queryRunner.createTable(
      new Table({
        name: 'source_state',
        columns: [
          c.id(),
          c.uuid('tenant_id'),
          c.string('source_key', 100),
          c.text('delta_link', { nullable: true }),
          ...c.timestamps(),
        ],
        indices: [
          new TableIndex({
            name: 'uq_source_state_tenant_source',
            columnNames: ['tenant_id', 'source_key'],
            isUnique: true,
          }),
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
    await queryRunner.dropTable('source_state', false, true, true);
    await queryRunner.dropColumn('sync_run', 'mode');
    await queryRunner.dropColumn('mailbox_state', 'last_run_id');
    await queryRunner.dropColumn('mailbox_state', 'mailbox_kind_checked_at');
    await queryRunner.dropColumn('mailbox_state', 'mailbox_kind');
  }
}
