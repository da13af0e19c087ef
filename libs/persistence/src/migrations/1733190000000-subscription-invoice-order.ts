import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { PortableColumns } from './portable-columns';

/**
 * subscription.last_invoice_event_at: `created` of the newest invoice event applied, so a late
 * invoice.payment_failed or payment_action_required (delivered after the invoice.paid that
 * resolved it) changes nothing (issue #23, ADR 0050).
 */
export class SubscriptionInvoiceOrder1733190000000 implements MigrationInterface {
  name = 'SubscriptionInvoiceOrder1733190000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = new PortableColumns(queryRunner);
    await queryRunner.addColumn(
      'subscription',
      new TableColumn(c.date('last_invoice_event_at', { nullable: true })),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('subscription', 'last_invoice_event_at');
  }
}
