import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { PortableColumns } from './portable-columns';

/** mailbox_state.applied_fingerprint: lets a sync with nothing to do skip the mailbox map. */
export class AppliedFingerprint1732600000000 implements MigrationInterface {
  name = 'AppliedFingerprint1732600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = new PortableColumns(queryRunner);
    await queryRunner.addColumn(
      'mailbox_state',
      new TableColumn(c.string('applied_fingerprint', 64, { nullable: true })),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('mailbox_state', 'applied_fingerprint');
  }
}
