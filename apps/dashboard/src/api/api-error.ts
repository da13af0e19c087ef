/** One bad field of a refused request, as the API's error envelope names it. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** The API's error envelope (statusCode, error code, message, problems per field). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly problems: FieldProblem[] = [],
  ) {
    super(message);
  }

  static from(status: number, body: unknown): ApiError {
    const b = (typeof body === 'object' && body ? body : {}) as Record<string, unknown>;
    const problems = Array.isArray(b.problems) ? (b.problems as FieldProblem[]) : [];
    return new ApiError(
      status,
      typeof b.error === 'string' ? b.error : 'http_error',
      typeof b.message === 'string' ? b.message : `The server answered ${status}.`,
      problems,
    );
  }

  /** The message for one field (exact name, or the first nested under it). */
  fieldError(field: string): string | undefined {
    return (
      this.problems.find((p) => p.field === field)?.message ??
      this.problems.find((p) => p.field.startsWith(`${field}.`))?.message
    );
  }
}
