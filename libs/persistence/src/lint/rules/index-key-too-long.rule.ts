import type { EntityMetadata } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { columnByteWidth } from '../column-byte-width';
import { columnTypeName } from '../column-type';
import { indexKeysOf } from '../index-keys';
import type { SchemaLintProblem } from '../schema-lint-problem';

/** SQL Server's key limit for clustered indexes (1,700 for non-clustered): the portable bound. */
export const MAX_INDEX_KEY_BYTES = 900;

const describe = (column: ColumnMetadata, bytes: number): string => {
  const type = `${columnTypeName(column)}${column.length ? `(${column.length})` : ''}`;
  return `${column.databaseName} ${type} = ${Number.isFinite(bytes) ? `${bytes} B` : 'unbounded'}`;
};

export function indexKeyTooLong(metadatas: EntityMetadata[]): SchemaLintProblem[] {
  return metadatas.flatMap((metadata) =>
    indexKeysOf(metadata).flatMap((key) => {
      const widths = key.columns.map((c) => ({ column: c, bytes: columnByteWidth(c) }));
      const total = widths.reduce((sum, w) => sum + w.bytes, 0);
      if (total <= MAX_INDEX_KEY_BYTES) return [];
      const detail = widths.map(({ column, bytes }) => describe(column, bytes)).join(', ');
      const size = Number.isFinite(total) ? `up to ${total} bytes` : 'unbounded';
      return [
        {
          rule: 'index-key-too-long' as const,
          entity: metadata.name,
          message:
            `${key.label} has a key of ${size} (${detail}), over SQL Server's ${MAX_INDEX_KEY_BYTES}-byte limit ` +
            `(strings are nvarchar: 2 bytes a character). Give string columns an explicit, shorter length, ` +
            `or index a hash of the value (e.g. SHA-256 hex, 64 characters) instead.`,
        },
      ];
    }),
  );
}
