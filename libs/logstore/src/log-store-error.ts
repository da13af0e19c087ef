import type { LogStoreErrorCode } from './log-store-error-code';

/** Every error the log stores raise on purpose. Messages carry ids only, never contents. */
export class LogStoreError extends Error {
  constructor(
    readonly code: LogStoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'LogStoreError';
  }
}
