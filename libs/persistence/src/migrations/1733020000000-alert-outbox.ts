import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { PortableColumns } from './portable-columns';

/**
 * Alerts as an outbox in SQL (issue #17): the detection cursor and the deliveries move
 * together, and a delivery is marked only after it was sent, so no alert is lost.
 */
export class AlertOutbox1733020000000 implements MigrationInterface {
  name = 'AlertOutbox1733020000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = new PortableColumns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'alert_cursor',
        columns: [
          { ...c.string('name', 32), isPrimary: true },
          c.date('position'),
          c.date('updated_at'),
        ],
      }),
      false,
    );
    await queryRunner.createTable(
      new Table({
        name: 'alert_delivery',
        columns: [
          c.id(),
          c.uuid('tenant_id'),
          c.string('dedupe_key', 200),
          c.string('subject', 100),
          c.string('kind', 32),
          c.text('payload'),
          c.string('state', 16),
          c.string('email_state', 16),
          c.string('webhook_state', 16),
          c.integer('attempts', { default: 0 }),
          c.date('next_attempt_at'),
          c.date('lease_until', { nullable: true }),
          c.date('last_attempt_at', { nullable: true }),
          c.date('webhook_at', { nullable: true }),
          c.string('webhook_code', 64, { nullable: true }),
          c.integer('webhook_http_status', { nullable: true }),
          c.string('email_code', 64, { nullable: true }),
          ...c.timestamps(),
        ],
        indices: [
          new TableIndex({
            name: 'uq_alert_delivery_dedupe',
            columnNames: ['dedupe_key'],
            isUnique: true,
          }),
          new TableIndex({
            name: 'ix_alert_delivery_due',
            columnNames: ['state', 'next_attempt_at'],
          }),
          new TableIndex({
            name: 'ix_alert_delivery_subject',
            columnNames: ['tenant_id', 'subject', 'created_at'],
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
    await queryRunner.dropTable('alert_delivery', false, true, true);
    await queryRunner.dropTable('alert_cursor', false);
  }
}
