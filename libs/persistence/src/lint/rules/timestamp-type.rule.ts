import type { EntityMetadata } from 'typeorm';
import { columnTypeName } from '../column-type';
import type { SchemaLintProblem } from '../schema-lint-problem';

// `timestamp` (and its `timestamp with(out) time zone` spellings) is a date elsewhere but a
// rowversion on SQL Server; `rowversion` itself is SQL Server only. Not `timestamptz`.
const ROWVERSION_TYPE = /^(timestamp|rowversion)\b/;

export function timestampType(metadatas: EntityMetadata[]): SchemaLintProblem[] {
  return metadatas.flatMap((metadata) =>
    metadata.columns
      .filter((column) => ROWVERSION_TYPE.test(columnTypeName(column)))
      .map((column) => ({
        rule: 'timestamp-type' as const,
        entity: metadata.name,
        message:
          `column ${metadata.tablePath}.${column.databaseName} has type ${columnTypeName(column)}: on SQL Server ` +
          `that is rowversion (an automatic binary row counter), not a date. Use a Date column ` +
          `(datetime2 on SQL Server, PortableColumns.date in migrations); for optimistic locking use @VersionColumn().`,
      })),
  );
}
