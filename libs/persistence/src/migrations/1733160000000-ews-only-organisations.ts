import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';
import { PortableColumns } from './portable-columns';

const AZURE_INDEX = 'uq_tenant_azure_tenant_id';

/**
 * EWS-only organisations (Exchange Server on-premises, no Microsoft 365, ADR 0047):
 * - tenant.azure_tenant_id becomes nullable (null = no Entra ID tenant); its unique index is
 *   filtered to the non-null values, as SQL Server needs (it allows one NULL in a unique index);
 * - ews_connection.address_list_id: the Global Address List's GUID that FindPeople pages.
 * SQLite rebuilds a table to change a column: with foreign keys on, dropping the old `tenant`
 * would cascade into every tenant-owned row, so they are off around the rebuild (the pragma is
 * a no-op inside a transaction, hence the commit before it).
 */
export class EwsOnlyOrganisations1733160000000 implements MigrationInterface {
  name = 'EwsOnlyOrganisations1733160000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = new PortableColumns(queryRunner);
    await queryRunner.addColumn(
      'ews_connection',
      new TableColumn(c.uuid('address_list_id', { nullable: true })),
    );
    await this.withoutForeignKeys(queryRunner, async () => {
      await queryRunner.dropIndex('tenant', AZURE_INDEX);
      await this.setNullable(queryRunner, c, true);
      await queryRunner.createIndex(
        'tenant',
        new TableIndex({
          name: AZURE_INDEX,
          columnNames: ['azure_tenant_id'],
          isUnique: true,
          where: 'azure_tenant_id IS NOT NULL',
        }),
      );
    });
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const c = new PortableColumns(queryRunner);
    // An organisation without a Microsoft 365 tenant cannot exist in the old schema.
    await queryRunner.query('DELETE FROM tenant WHERE azure_tenant_id IS NULL');
    await this.withoutForeignKeys(queryRunner, async () => {
      await queryRunner.dropIndex('tenant', AZURE_INDEX);
      await this.setNullable(queryRunner, c, false);
      await queryRunner.createIndex(
        'tenant',
        new TableIndex({ name: AZURE_INDEX, columnNames: ['azure_tenant_id'], isUnique: true }),
      );
    });
    await queryRunner.dropColumn('ews_connection', 'address_list_id');
  }

  /**
   * TypeORM's changeColumn drops and re-adds a PostgreSQL or SQL Server column whose declared
   * type it reads differently (varchar vs character varying): the values would be lost. Those
   * two change the constraint in place; SQLite rebuilds the table, copying the rows.
   */
  private async setNullable(
    queryRunner: QueryRunner,
    c: PortableColumns,
    nullable: boolean,
  ): Promise<void> {
    const type = queryRunner.connection.options.type;
    if (type === 'postgres')
      await queryRunner.query(
        `ALTER TABLE tenant ALTER COLUMN azure_tenant_id ${nullable ? 'DROP' : 'SET'} NOT NULL`,
      );
    else if (type === 'mssql')
      await queryRunner.query(
        `ALTER TABLE tenant ALTER COLUMN azure_tenant_id nvarchar(36) ${nullable ? 'NULL' : 'NOT NULL'}`,
      );
    else
      await queryRunner.changeColumn(
        'tenant',
        'azure_tenant_id',
        new TableColumn(c.uuid('azure_tenant_id', { nullable })),
      );
  }

  private async withoutForeignKeys(
    queryRunner: QueryRunner,
    change: () => Promise<void>,
  ): Promise<void> {
    if (queryRunner.connection.options.type !== 'better-sqlite3') return change();
    const inTransaction = queryRunner.isTransactionActive;
    if (inTransaction) await queryRunner.commitTransaction();
    await queryRunner.query('PRAGMA foreign_keys = OFF');
    try {
      await queryRunner.startTransaction();
      try {
        await change();
        await queryRunner.commitTransaction();
      } catch (error) {
        await queryRunner.rollbackTransaction();
        throw error;
      }
    } finally {
      await queryRunner.query('PRAGMA foreign_keys = ON');
      if (inTransaction) await queryRunner.startTransaction();
    }
  }
}
