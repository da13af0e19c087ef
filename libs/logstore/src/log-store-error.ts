import { CodedError } from '@app/domain';
import type { LogStoreErrorCode } from './log-store-error-code';

/** Every error the log stores raise on purpose. Messages carry ids only, never contents. */
export class LogStoreError extends CodedError {
  declare readonly code: LogStoreErrorCode;

  constructor(code: LogStoreErrorCode, message: string) {
    super(code, message);
  }
}
