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
 * Billing (issue #23): a stored Stripe event keeps its verified payload until processed (the
 * sweep re-queues it after a crash or a Redis that lost its data); a subscription's grace
 * period and what the admin must do; a run's unentitled mailboxes; synced mailboxes per day.
 */
export class Billing1733110000000 implements MigrationInterface {
  name = 'Billing1733110000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = new PortableColumns(queryRunner);
    await queryRunner.addColumns('stripe_event', [
      new TableColumn(c.text('payload', { nullable: true })),
      new TableColumn(c.date('event_created_at', { nullable: true })),
      new TableColumn(c.string('status', 20, { default: 'received' })),
      new TableColumn(c.integer('attempts', { default: 0 })),
      new TableColumn(c.string('outcome', 64, { nullable: true })),
    ]);
    await queryRunner.createIndex(
      'stripe_event',
      new TableIndex({ name: 'ix_stripe_event_status', columnNames: ['status'] }),
    );
    await queryRunner.addColumns('subscription', [
      new TableColumn(c.date('grace_until', { nullable: true })),
      new TableColumn(c.date('trial_end', { nullable: true })),
      new TableColumn(c.text('payment_action_url', { nullable: true })),
      new TableColumn(c.string('notice', 40, { nullable: true })),
    ]);
    await queryRunner.addColumns('sync_run', [
      new TableColumn(c.integer('mailboxes_unentitled', { default: 0 })),
      new TableColumn(c.string('billing_status', 20, { nullable: true })),
    ]);
    await queryRunner.createTable(
      new Table({
        name: 'billing_usage_day',
        columns: [
          c.id(),
          c.uuid('tenant_id'),
          c.string('day', 10),
          c.integer('mailboxes', { default: 0 }),
          ...c.timestamps(),
        ],
        indices: [
          new TableIndex({
            name: 'uq_billing_usage_day_tenant_day',
            columnNames: ['tenant_id', 'day'],
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
    await queryRunner.dropTable('billing_usage_day', false, true, true);
    await queryRunner.dropColumns('sync_run', ['mailboxes_unentitled', 'billing_status']);
    await queryRunner.dropColumns('subscription', [
      'grace_until',
      'trial_end',
      'payment_action_url',
      'notice',
    ]);
    await queryRunner.dropIndex('stripe_event', 'ix_stripe_event_status');
    await queryRunner.dropColumns('stripe_event', [
      'payload',
      'event_created_at',
      'status',
      'attempts',
      'outcome',
    ]);
  }
}
