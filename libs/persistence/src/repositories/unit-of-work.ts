import type { DataSource } from 'typeorm';
import type { RowCipher } from '../encryption/row-cipher';
import { withTransaction } from '../with-transaction';
import { TransactionRepositories } from './transaction-repositories';

/**
 * Runs work in one transaction: the work gets repositories bound to it, never the
 * EntityManager, and everything it writes commits or rolls back together.
 */
export class UnitOfWork {
  constructor(
    private readonly dataSource: DataSource,
    private readonly rows: RowCipher,
  ) {}

  run<T>(work: (tx: TransactionRepositories) => Promise<T>): Promise<T> {
    return withTransaction(this.dataSource, (manager) =>
      work(new TransactionRepositories(manager, this.rows)),
    );
  }
}
