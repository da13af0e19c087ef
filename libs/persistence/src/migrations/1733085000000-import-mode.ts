import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { PortableColumns } from './portable-columns';

/** A CSV import may merge into a list's entries instead of replacing them (issue #19). */
export class ImportMode1733085000000 implements MigrationInterface {
  name = 'ImportMode1733085000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = new PortableColumns(queryRunner);
    await queryRunner.addColumn(
      'import_job',
      new TableColumn(c.string('mode', 10, { default: 'replace' })),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('import_job', 'mode');
  }
}
