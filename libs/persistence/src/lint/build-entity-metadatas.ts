import { DataSource, type EntityMetadata } from 'typeorm';
import { SnakeNamingStrategy } from '../snake-naming.strategy';

/** An entity class. */
export type EntityClass = new (...args: never[]) => object;

/**
 * Builds TypeORM metadata for `entities` without a database. The DataSource is an mssql one
 * that never connects: it validates column types against SQL Server's (SQLite would reject
 * `timestamp`/`rowversion` before the lint could report them) and names columns as we do.
 * `buildMetadatas` is protected in TypeORM 0.3; `initialize()` would open a connection.
 */
export async function buildEntityMetadatas(entities: EntityClass[]): Promise<EntityMetadata[]> {
  const dataSource = new DataSource({
    type: 'mssql',
    entities,
    namingStrategy: new SnakeNamingStrategy(),
  });
  await (dataSource as unknown as { buildMetadatas(): Promise<void> }).buildMetadatas();
  return dataSource.entityMetadatas;
}
