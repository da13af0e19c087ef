import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { PortableColumns } from './portable-columns';

/**
 * tenant.mailbox_access: how our app reaches mailboxes — `entra` (tenant-wide grant in the
 * token's roles), `exchange_rbac` (no grant in the token, a probed mailbox answered: Exchange's
 * RBAC for Applications), `unverified` (no grant, the probe was refused). See docs/entra-app.md.
 */
export class TenantMailboxAccess1733087000000 implements MigrationInterface {
  name = 'TenantMailboxAccess1733087000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = new PortableColumns(queryRunner);
    await queryRunner.addColumn(
      'tenant',
      new TableColumn(c.string('mailbox_access', 20, { nullable: true })),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('tenant', 'mailbox_access');
  }
}
