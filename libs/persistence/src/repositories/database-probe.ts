import type { DataSource } from 'typeorm';

/** Whether the database answers, for the readiness check. */
export class DatabaseProbe {
  constructor(private readonly dataSource: DataSource) {}

  /** The database kind of the options (better-sqlite3, postgres, mssql). */
  get kind(): string {
    return this.dataSource.options.type;
  }

  /** Resolves when the database answered a trivial query. */
  async ping(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }
}
