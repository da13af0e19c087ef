import type { CodedErrorOptions } from './coded-error-options';

/**
 * Base of every error we raise on purpose: a stable `code` callers switch on (listed in
 * docs/errors.md), an optional HTTP status, and details safe to log. The message never carries
 * secrets either, so the whole error may be logged.
 */
export class CodedError extends Error {
  readonly status?: number;
  readonly details?: Record<string, unknown>;

  constructor(
    readonly code: string,
    message: string,
    options: CodedErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    if (options.status !== undefined) this.status = options.status;
    if (options.details !== undefined) this.details = options.details;
  }
}
