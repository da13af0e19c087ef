import { CodedError } from '@app/domain';

/**
 * The caller is known but may not do this (e.g. an MSP operator managing operator grants).
 * `error` is the stable code the API answers with (403); the same value as `code`.
 */
export class Forbidden extends CodedError {
  constructor(
    readonly error: string,
    message: string,
  ) {
    super(error, message, { status: 403 });
  }
}
