import type { EntityMetadata } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { isNormalizedKey } from '../../entities/normalized-key.decorator';
import { isStringColumn } from '../column-type';
import { indexKeysOf } from '../index-keys';
import type { SchemaLintProblem } from '../schema-lint-problem';

/** A join column holds copies of the referenced key, so it is normalised when that key is. */
function isNormalized(column: ColumnMetadata): boolean {
  const source = column.referencedColumn ?? column;
  const owner = typeof source.target === 'function' ? source.target : source.entityMetadata.target;
  return typeof owner === 'function' && isNormalizedKey(owner, source.propertyName);
}

/** SQL Server's default collation compares strings case-insensitively; PostgreSQL and SQLite do not. */
export function caseSensitiveUnique(metadatas: EntityMetadata[]): SchemaLintProblem[] {
  return metadatas.flatMap((metadata) =>
    indexKeysOf(metadata)
      .filter((key) => key.unique)
      .flatMap((key) =>
        key.columns
          .filter((column) => isStringColumn(column) && !isNormalized(column))
          .map((column) => ({
            rule: 'case-sensitive-unique' as const,
            entity: metadata.name,
            message:
              `${key.label} includes string column ${column.databaseName} (property ${column.propertyName}), whose ` +
              `uniqueness depends on case: SQL Server's default collation is case-insensitive, PostgreSQL and SQLite ` +
              `are not. Store a normalised key (lower-cased/trimmed, or a lower-case hex hash) and mark the property @NormalizedKey().`,
          })),
      ),
  );
}
