import { CodedError } from '@app/domain';
import { z } from 'zod/v4';

/** One invalid field of a request: its dotted path and why. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** A request was refused before anything changed; every problem is listed. */
export class ValidationFailed extends CodedError {
  constructor(readonly problems: FieldProblem[]) {
    super(
      'validation_failed',
      `invalid request: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`,
      { status: 400, details: { problems } },
    );
  }
}

/** A resource of another tenant, or none: the same answer either way (no existence leak). */
export class NotFound extends CodedError {
  constructor(what: string) {
    super('not_found', `${what} not found`, { status: 404 });
  }
}

/** The change conflicts with existing data (e.g. a duplicate list name). */
export class Conflict extends CodedError {
  constructor(
    message: string,
    readonly problems: FieldProblem[] = [],
  ) {
    super('conflict', message, { status: 409, details: { problems } });
  }
}

function issueProblems(issues: readonly z.core.$ZodIssue[], prefix = ''): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const issue of issues) {
    const base = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        out.push({ field: [base, key].filter(Boolean).join('.'), message: 'unknown field' });
    } else {
      out.push({ field: base || '(body)', message: issue.message });
    }
  }
  return out;
}

/** Parses a request body (or query) with a strict schema; throws ValidationFailed listing every bad field. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationFailed(issueProblems(result.error.issues));
  return result.data;
}

/** JSON Schema of a request schema, for the OpenAPI document. */
export function openApiSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return rest;
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
