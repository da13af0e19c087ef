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
 * Issue #19: a deleted list leaves a tombstone until its clean-up succeeded (list_tombstone);
 * mailbox_state keeps which container its folder id stands for (folder_spec) and the one our
 * items are leaving after a folder change (retired_folder_id).
 */
export class ListTombstones1733083000000 implements MigrationInterface {
  name = 'ListTombstones1733083000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = new PortableColumns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'list_tombstone',
        columns: [
          c.id(),
          c.uuid('tenant_id'),
          c.uuid('list_id'),
          c.string('list_kind', 10),
          c.string('name', 200),
          c.string('state', 16),
          c.uuid('run_id', { nullable: true }),
          c.integer('mailboxes_total', { default: 0 }),
          c.integer('attempt', { default: 1 }),
          c.date('requested_at'),
          c.date('finished_at', { nullable: true }),
          c.string('error_code', 64, { nullable: true }),
          c.string('error_message', 500, { nullable: true }),
          ...c.timestamps(),
        ],
        indices: [
          new TableIndex({
            name: 'uq_list_tombstone_list',
            columnNames: ['list_id'],
            isUnique: true,
          }),
          new TableIndex({ name: 'ix_list_tombstone_tenant', columnNames: ['tenant_id'] }),
          new TableIndex({ name: 'ix_list_tombstone_state', columnNames: ['state'] }),
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
    await queryRunner.addColumns('mailbox_state', [
      new TableColumn(c.string('folder_spec', 210, { nullable: true })),
      new TableColumn(c.text('retired_folder_id', { nullable: true })),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('mailbox_state', 'retired_folder_id');
    await queryRunner.dropColumn('mailbox_state', 'folder_spec');
    await queryRunner.dropTable('list_tombstone', false, true, true);
  }
}
