import type { EntityMetadata } from 'typeorm';
import { columnNames, indexKeysOf } from '../index-keys';
import type { SchemaLintProblem } from '../schema-lint-problem';

/** SQL Server lets a unique key hold one NULL, PostgreSQL and SQLite any number: filter the NULLs out. */
export function nullableUnique(metadatas: EntityMetadata[]): SchemaLintProblem[] {
  return metadatas.flatMap((metadata) =>
    indexKeysOf(metadata)
      .filter((key) => key.unique && !key.filtered)
      .flatMap((key) => {
        const nullable = key.columns.filter((c) => c.isNullable);
        if (nullable.length === 0) return [];
        const names = columnNames(nullable);
        const filter = nullable.map((c) => `${c.databaseName} IS NOT NULL`).join(' AND ');
        return [
          {
            rule: 'nullable-unique' as const,
            entity: metadata.name,
            message:
              `${key.label} contains nullable column(s) ${names}: SQL Server allows only one NULL in a unique key. ` +
              `Make the column(s) NOT NULL, or use a filtered unique index (@Index(..., { unique: true, where: '${filter}' })).`,
          },
        ];
      }),
  );
}
