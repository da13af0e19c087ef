export type PersistenceErrorCode = 'MIGRATION_LOCK_TIMEOUT' | 'DATABASE_UNAVAILABLE';

export class PersistenceError extends Error {
  constructor(
    readonly code: PersistenceErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PersistenceError';
  }
}
