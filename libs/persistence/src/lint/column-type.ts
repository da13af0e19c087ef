import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

/** The column type as a lower-case name: `Date`/`String`/... design types become `date`/`string`. */
export function columnTypeName(column: ColumnMetadata): string {
  const type = column.type as unknown;
  return (typeof type === 'function' ? type.name : String(type)).toLowerCase();
}

const STRING_TYPES = new Set([
  'string',
  'varchar',
  'nvarchar',
  'char',
  'nchar',
  'character',
  'character varying',
  'varying character',
  'native character',
  'national varchar',
  'varchar2',
  'nvarchar2',
  'text',
  'ntext',
  'clob',
  'tinytext',
  'mediumtext',
  'longtext',
]);

export const isStringColumn = (column: ColumnMetadata): boolean =>
  STRING_TYPES.has(columnTypeName(column));
