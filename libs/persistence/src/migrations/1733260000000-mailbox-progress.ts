import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { PortableColumns } from './portable-columns';

/**
 * mailbox_state.progress_*: what the attempts of a run wrote to a mailbox before the run counted
 * it (an attempt rescheduled when throttled, retried, or killed after saving its map), added
 * once by the claim that counts the mailbox (ADR 0057).
 */
export class MailboxProgress1733260000000 implements MigrationInterface {
  name = 'MailboxProgress1733260000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = new PortableColumns(queryRunner);
    await queryRunner.addColumns('mailbox_state', [
      new TableColumn(c.uuid('progress_run_id', { nullable: true })),
      new TableColumn(c.integer('progress_created', { default: 0 })),
      new TableColumn(c.integer('progress_updated', { default: 0 })),
      new TableColumn(c.integer('progress_deleted', { default: 0 })),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const column of ['progress_deleted', 'progress_updated', 'progress_created'])
      await queryRunner.dropColumn('mailbox_state', column);
    await queryRunner.dropColumn('mailbox_state', 'progress_run_id');
  }
}
