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
 * MSP operator grants (a user of another Entra tenant manages this tenant as Admin or Viewer),
 * and a wider audit actor id: an operator is recorded as `${tid}/${oid}` (73 characters).
 */
export class OperatorGrants1732500000000 implements MigrationInterface {
  name = 'OperatorGrants1732500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = new PortableColumns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'operator_grant',
        columns: [
          c.id(),
          c.uuid('tenant_id'),
          c.uuid('operator_tenant_id'),
          c.uuid('operator_object_id'),
          c.string('role', 20),
          c.string('label', 100, { nullable: true }),
          c.string('granted_by', 100),
          ...c.timestamps(),
        ],
        indices: [
          new TableIndex({
            name: 'uq_operator_grant_tenant_operator',
            columnNames: ['tenant_id', 'operator_tenant_id', 'operator_object_id'],
            isUnique: true,
          }),
          new TableIndex({
            name: 'ix_operator_grant_operator',
            columnNames: ['operator_tenant_id', 'operator_object_id'],
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
    await queryRunner.changeColumn(
      'audit_event',
      'actor_id',
      new TableColumn(c.string('actor_id', 100)),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const c = new PortableColumns(queryRunner);
    // Operator ids do not fit the old width: cut them rather than fail the way down.
    const mssql = queryRunner.connection.options.type === 'mssql';
    await queryRunner.query(
      mssql
        ? 'UPDATE audit_event SET actor_id = SUBSTRING(actor_id, 1, 64) WHERE LEN(actor_id) > 64'
        : 'UPDATE audit_event SET actor_id = SUBSTR(actor_id, 1, 64) WHERE LENGTH(actor_id) > 64',
    );
    await queryRunner.changeColumn(
      'audit_event',
      'actor_id',
      new TableColumn(c.string('actor_id', 64)),
    );
    await queryRunner.dropTable('operator_grant', false, true, true);
  }
}
