import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { PortableColumns } from './portable-columns';

/**
 * ews_connection.auth_mode (`ntlm`, the default as on-premises Exchange offers it, or `basic`)
 * and ews_connection.ca_certificate (PEM of the CA that signs the customer's own server
 * certificate; null = the system's CAs only).
 */
export class EwsConnectionAuth1733140000000 implements MigrationInterface {
  name = 'EwsConnectionAuth1733140000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = new PortableColumns(queryRunner);
    await queryRunner.addColumn(
      'ews_connection',
      new TableColumn(c.string('auth_mode', 10, { default: 'ntlm' })),
    );
    await queryRunner.addColumn(
      'ews_connection',
      new TableColumn(c.text('ca_certificate', { nullable: true })),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('ews_connection', 'ca_certificate');
    await queryRunner.dropColumn('ews_connection', 'auth_mode');
  }
}
