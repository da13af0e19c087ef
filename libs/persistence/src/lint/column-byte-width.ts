import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { columnTypeName, isStringColumn } from './column-type';

const FIXED_WIDTHS: Record<string, number> = {
  uuid: 16,
  uniqueidentifier: 16,
  boolean: 1,
  bool: 1,
  bit: 1,
  tinyint: 1,
  smallint: 2,
  int2: 2,
  int: 4,
  integer: 4,
  int4: 4,
  number: 4,
  real: 4,
  float4: 4,
  bigint: 8,
  int8: 8,
  float: 8,
  double: 8,
  'double precision': 8,
  float8: 8,
  decimal: 17,
  numeric: 17,
  dec: 17,
  money: 8,
  date: 8,
  time: 8,
  datetime: 8,
  datetime2: 8,
  smalldatetime: 8,
  timestamptz: 8,
  'timestamp with time zone': 10,
  datetimeoffset: 10,
};

const UNBOUNDED_STRING_TYPES = new Set([
  'text',
  'ntext',
  'clob',
  'tinytext',
  'mediumtext',
  'longtext',
]);

/**
 * The most bytes one value of the column can take in a SQL Server index key, or Infinity when
 * unbounded or unknown. Strings count 2 bytes a character: the migrations create them as nvarchar.
 */
export function columnByteWidth(column: ColumnMetadata): number {
  const type = columnTypeName(column);
  const length = Number(column.length);
  const hasLength = column.length !== '' && Number.isInteger(length) && length > 0;
  if (isStringColumn(column)) {
    return UNBOUNDED_STRING_TYPES.has(type) || !hasLength ? Infinity : 2 * length;
  }
  if (type === 'binary' || type === 'varbinary') return hasLength ? length : Infinity;
  return FIXED_WIDTHS[type] ?? Infinity;
}
