import type { EntityMetadata } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

/** A B-tree key of a table: its primary key, an index or a unique constraint. */
export interface IndexKey {
  /** e.g. `unique index uq_x on table t`, for messages. */
  label: string;
  columns: ColumnMetadata[];
  unique: boolean;
  /** A filtered index (`where`), which SQL Server supports for unique keys over nullable columns. */
  filtered: boolean;
}

export function indexKeysOf(metadata: EntityMetadata): IndexKey[] {
  const table = metadata.tablePath;
  const keys: IndexKey[] = [];
  if (metadata.primaryColumns.length > 0) {
    keys.push({
      label: `primary key of table ${table}`,
      columns: metadata.primaryColumns,
      unique: true,
      filtered: false,
    });
  }
  for (const index of metadata.indices) {
    // Full-text and spatial indexes are not B-tree keys: no key size or uniqueness semantics.
    if (index.isFulltext || index.isSpatial) continue;
    const kind = index.isUnique ? 'unique index' : 'index';
    keys.push({
      label: `${kind} ${index.name} on table ${table}`,
      columns: index.columns,
      unique: index.isUnique,
      filtered: Boolean(index.where),
    });
  }
  for (const unique of metadata.uniques) {
    keys.push({
      label: `unique constraint ${unique.name} on table ${table}`,
      columns: unique.columns,
      unique: true,
      filtered: false,
    });
  }
  return keys;
}

export const columnNames = (columns: ColumnMetadata[]): string =>
  columns.map((c) => c.databaseName).join(', ');
