import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { PortableColumns } from './portable-columns';

/**
 * Clean-up and revocation as a state machine in SQL (issue #17): the worker advances it, so a
 * revocation completes without anybody polling its progress.
 */
export class TenantCleanup1733010000000 implements MigrationInterface {
  name = 'TenantCleanup1733010000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = new PortableColumns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'tenant_cleanup',
        columns: [
          c.id(),
          c.uuid('tenant_id'),
          c.string('state', 16),
          c.text('list_ids'),
          c.text('run_ids'),
          c.string('actor_type', 16),
          c.string('actor_id', 200),
          c.date('requested_at'),
          c.integer('attempt', { default: 1 }),
          c.string('error_code', 64, { nullable: true }),
          c.string('error_message', 500, { nullable: true }),
          c.text('wiped', { nullable: true }),
          c.date('revoked_at', { nullable: true }),
          ...c.timestamps(),
        ],
        indices: [
          new TableIndex({
            name: 'uq_tenant_cleanup_tenant',
            columnNames: ['tenant_id'],
            isUnique: true,
          }),
          new TableIndex({ name: 'ix_tenant_cleanup_state', columnNames: ['state'] }),
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
    await queryRunner.dropTable('tenant_cleanup', false, true, true);
  }
}
