/**
 * The caller is known but may not do this (e.g. an MSP operator managing operator grants).
 * `error` is the stable code the API answers with (403).
 */
export class Forbidden extends Error {
  readonly code = 'FORBIDDEN';
  constructor(
    readonly error: string,
    message: string,
  ) {
    super(message);
  }
}
