import { CodedError } from './coded-error';
import type { DomainErrorCode } from './domain-error-code';
import type { ValidationProblem } from './validation-problem';

/** An input the domain refuses, with every problem found (not only the first). */
export class DomainValidationError extends CodedError {
  declare readonly code: DomainErrorCode;

  constructor(
    code: DomainErrorCode,
    readonly problems: readonly ValidationProblem[],
  ) {
    super(
      code,
      `${code}: ${problems.map((p) => (p.field ? `${p.field}: ${p.message}` : p.message)).join('; ')}`,
    );
  }
}

/** Throws when `problems` is non-empty; the common tail of every `assertValid…`. */
export function throwIfProblems(
  code: DomainErrorCode,
  problems: readonly ValidationProblem[],
): void {
  if (problems.length > 0) throw new DomainValidationError(code, problems);
}
