import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource } from 'typeorm';

interface OpenTransaction {
  owner: symbol;
  ended: Promise<void>;
}

const flows = new AsyncLocalStorage<symbol>();
const open = new WeakMap<DataSource, OpenTransaction>();

/**
 * Who may use an embedded SQLite data source's one connection while a transaction is open on
 * it. TypeORM shares that connection between every flow of the process, so a statement of
 * another flow (a job's autocommit write, a request's read) would run inside the transaction,
 * see its uncommitted rows and be rolled back with it. The transaction's work (and whatever it
 * calls, through AsyncLocalStorage) is its owner; everyone else waits for the transaction to end.
 */
export const sqliteTransactionOwner = {
  /** Runs `transaction` as the one open transaction of the data source, owned by its flow. */
  async run<T>(dataSource: DataSource, transaction: () => Promise<T>): Promise<T> {
    const owner = Symbol('sqlite-transaction');
    let end!: () => void;
    open.set(dataSource, { owner, ended: new Promise<void>((resolve) => (end = resolve)) });
    try {
      return await flows.run(owner, transaction);
    } finally {
      open.delete(dataSource);
      end();
    }
  },

  /** Resolves once no transaction of another flow is open on the data source. */
  async turn(dataSource: DataSource): Promise<void> {
    for (;;) {
      const current = open.get(dataSource);
      if (!current || current.owner === flows.getStore()) return;
      await current.ended;
    }
  },
};
