import type { DataSource } from 'typeorm';

export interface PortableColumn {
  name: string;
  type: string;
  length: string;
  nullable: boolean;
  primary: boolean;
}

export interface PortableTable {
  name: string;
  columns: PortableColumn[];
  indices: string[];
  foreignKeys: string[];
}

/** Database type names mapped to one vocabulary, so two engines' schemas can be compared. */
function portableType(type: string): string {
  const t = type.toLowerCase();
  if (['varchar', 'character varying', 'nvarchar'].includes(t)) return 'string';
  if (t.startsWith('timestamp') || t.startsWith('datetime')) return 'datetime';
  if (['int', 'integer'].includes(t)) return 'integer';
  if (['bit', 'boolean'].includes(t)) return 'boolean';
  return t;
}

/** The schema as TypeORM's query runner reads it back, in portable terms, sorted. */
export async function describeSchema(dataSource: DataSource): Promise<PortableTable[]> {
  const runner = dataSource.createQueryRunner();
  try {
    const tables = await runner.getTables(await userTableNames(dataSource));
    return tables
      .map((t) => ({
        name: t.name.replace(/^public\./, ''),
        columns: t.columns
          .map((c) => ({
            name: c.name,
            type: portableType(c.type),
            length: portableType(c.type) === 'string' ? String(c.length) : '',
            nullable: c.isNullable,
            primary: c.isPrimary,
          }))
          .sort((a, b) => a.name.localeCompare(b.name)),
        indices: t.indices
          .map(
            (i) =>
              `${i.name}(${i.columnNames.join(',')})${i.isUnique ? ' unique' : ''}${i.where ? ` where ${normalizeWhere(i.where)}` : ''}`,
          )
          .sort(),
        foreignKeys: t.foreignKeys
          .map(
            (fk) =>
              `${fk.columnNames.join(',')} -> ${fk.referencedTableName.replace(/^public\./, '')}(${fk.referencedColumnNames.join(',')}) on delete ${fk.onDelete ?? 'NO ACTION'}`,
          )
          .sort(),
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
  } finally {
    await runner.release();
  }
}

async function userTableNames(dataSource: DataSource): Promise<string[]> {
  const sql =
    dataSource.options.type === 'postgres'
      ? `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`
      : `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`;
  const rows: Array<{ name: string }> = await dataSource.query(sql);
  return rows.map((r) => r.name).filter((name) => name !== 'schema_migrations');
}

function normalizeWhere(where: string): string {
  return where.replace(/[()"]/g, '').replace(/\s+/g, ' ').trim().toLowerCase();
}
