import type { EntityMetadata } from 'typeorm';
import { caseSensitiveUnique } from './rules/case-sensitive-unique.rule';
import { indexKeyTooLong } from './rules/index-key-too-long.rule';
import { multipleCascadePaths } from './rules/multiple-cascade-paths.rule';
import { nullableUnique } from './rules/nullable-unique.rule';
import { timestampType } from './rules/timestamp-type.rule';
import type { SchemaLintProblem } from './schema-lint-problem';

const RULES = [
  nullableUnique,
  multipleCascadePaths,
  timestampType,
  indexKeyTooLong,
  caseSensitiveUnique,
];

/**
 * Reports what SQL Server rejects or treats differently from PostgreSQL and SQLite in entity
 * metadata (DESIGN §3). Empty means the schema is portable to SQL Server on these points.
 */
export function lintSchemaForSqlServer(metadatas: EntityMetadata[]): SchemaLintProblem[] {
  // Views have no keys; single-table-inheritance children share their parent's table.
  const tables = metadatas.filter((m) => m.tableType !== 'view' && m.tableType !== 'entity-child');
  return RULES.flatMap((rule) => rule(tables));
}
