import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { PortableColumns } from './portable-columns';

/** Alert settings move from Redis to SQL (Redis may run without persistence). */
export class AlertSettings1732700000000 implements MigrationInterface {
  name = 'AlertSettings1732700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = new PortableColumns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'alert_settings',
        columns: [
          c.id(),
          c.uuid('tenant_id'),
          c.text('emails'),
          c.text('webhook_url', { nullable: true }),
          c.text('webhook_secret_encrypted', { nullable: true }),
          c.integer('quiet_minutes'),
          ...c.timestamps(),
        ],
        indices: [
          new TableIndex({
            name: 'uq_alert_settings_tenant',
            columnNames: ['tenant_id'],
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
    await queryRunner.dropTable('alert_settings', false, true, true);
  }
}
