import type { QueryRunner, TableColumnOptions } from 'typeorm';

/**
 * Column builders for migrations written once for SQLite, PostgreSQL and SQL Server.
 * Strings are nvarchar on SQL Server (its varchar is not Unicode); long text is
 * nvarchar(max) there, since `text` is deprecated and cannot be compared.
 */
export class PortableColumns {
  private readonly driver: string;

  constructor(queryRunner: QueryRunner) {
    this.driver = queryRunner.connection.options.type;
  }

  id(): TableColumnOptions {
    return { name: 'id', type: this.stringType(), length: '36', isPrimary: true };
  }

  uuid(name: string, options: { nullable?: boolean } = {}): TableColumnOptions {
    return this.string(name, 36, options);
  }

  string(
    name: string,
    length: number,
    options: { nullable?: boolean; default?: string } = {},
  ): TableColumnOptions {
    return {
      name,
      type: this.stringType(),
      length: String(length),
      isNullable: options.nullable ?? false,
      ...(options.default !== undefined
        ? { default: `'${options.default.replace(/'/g, "''")}'` }
        : {}),
    };
  }

  text(name: string, options: { nullable?: boolean } = {}): TableColumnOptions {
    return this.driver === 'mssql'
      ? { name, type: 'nvarchar', length: 'MAX', isNullable: options.nullable ?? false }
      : { name, type: 'text', isNullable: options.nullable ?? false };
  }

  date(name: string, options: { nullable?: boolean } = {}): TableColumnOptions {
    const type =
      this.driver === 'postgres'
        ? 'timestamptz'
        : this.driver === 'mssql'
          ? 'datetime2'
          : 'datetime';
    return { name, type, isNullable: options.nullable ?? false };
  }

  boolean(name: string, options: { default?: boolean } = {}): TableColumnOptions {
    const type = this.driver === 'mssql' ? 'bit' : 'boolean';
    const def =
      options.default === undefined
        ? undefined
        : this.driver === 'postgres'
          ? String(options.default)
          : options.default
            ? '1'
            : '0';
    return { name, type, isNullable: false, ...(def !== undefined ? { default: def } : {}) };
  }

  integer(
    name: string,
    options: { default?: number; nullable?: boolean } = {},
  ): TableColumnOptions {
    const type = this.driver === 'mssql' ? 'int' : 'integer';
    return {
      name,
      type,
      isNullable: options.nullable ?? false,
      ...(options.default !== undefined ? { default: String(options.default) } : {}),
    };
  }

  timestamps(): TableColumnOptions[] {
    return [this.date('created_at'), this.date('updated_at')];
  }

  private stringType(): string {
    return this.driver === 'mssql' ? 'nvarchar' : 'varchar';
  }
}
