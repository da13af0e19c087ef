import { CodedError } from '@app/domain';

export type PersistenceErrorCode = 'MIGRATION_LOCK_TIMEOUT' | 'DATABASE_UNAVAILABLE';

export class PersistenceError extends CodedError {
  declare readonly code: PersistenceErrorCode;

  constructor(code: PersistenceErrorCode, message: string) {
    super(code, message);
  }
}
