import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { PortableColumns } from './portable-columns';

/**
 * When a mailbox's named container (folder, calendar) was last looked at (issue #20): checked
 * once a day, not every run, so a no-op costs one request per mailbox.
 */
export class FolderCheckedAt1733100000000 implements MigrationInterface {
  name = 'FolderCheckedAt1733100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = new PortableColumns(queryRunner);
    await queryRunner.addColumn(
      'mailbox_state',
      new TableColumn(c.date('folder_checked_at', { nullable: true })),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('mailbox_state', 'folder_checked_at');
  }
}
