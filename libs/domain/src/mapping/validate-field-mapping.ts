import { DomainValidationError } from '../errors/domain-validation-error';
import type { ValidationProblem } from '../errors/validation-problem';
import { isMappingTarget, MAPPING_TARGETS, type FieldMapping } from './field-mapping';
import { parseSourcePath } from './source-path';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function suggestion(name: string): string {
  const close = MAPPING_TARGETS.find((t) => t.toLowerCase() === name.toLowerCase());
  return close ? ` (did you mean "${close}"?)` : '';
}

/**
 * Every problem of a mapping as received (e.g. from the API): unknown target fields, paths that
 * do not parse, wrong types. An empty list means `input` is a valid `FieldMapping`.
 */
export function validateFieldMapping(input: unknown): ValidationProblem[] {
  if (!isRecord(input)) return [{ field: '', message: 'a field mapping must be an object' }];
  const problems: ValidationProblem[] = [];
  const keyPath = input['keyPath'];
  if (typeof keyPath !== 'string') {
    problems.push({ field: 'keyPath', message: 'keyPath must be a path string, e.g. "id"' });
  } else {
    const parsed = parseSourcePath(keyPath);
    if (!parsed.ok) problems.push({ field: 'keyPath', message: parsed.error });
  }
  const fields = input['fields'];
  if (!isRecord(fields)) {
    problems.push({
      field: 'fields',
      message: 'fields must be an object of target field → path(s)',
    });
    return problems;
  }
  if (Object.keys(fields).length === 0) {
    problems.push({ field: 'fields', message: 'the mapping fills no field' });
  }
  for (const [target, paths] of Object.entries(fields)) {
    const at = `fields.${target}`;
    if (!isMappingTarget(target)) {
      problems.push({
        field: at,
        message: `unknown target field "${target}"${suggestion(target)}`,
      });
    }
    const list: unknown[] = typeof paths === 'string' ? [paths] : Array.isArray(paths) ? paths : [];
    if (list.length === 0) {
      problems.push({ field: at, message: 'expected a path or a non-empty list of paths' });
      continue;
    }
    list.forEach((path, i) => {
      const where = Array.isArray(paths) ? `${at}[${i}]` : at;
      if (typeof path !== 'string') {
        problems.push({ field: where, message: 'a path must be a string' });
        return;
      }
      const parsed = parseSourcePath(path);
      if (!parsed.ok) problems.push({ field: where, message: parsed.error });
    });
  }
  return problems;
}

/** `input` as a `FieldMapping`, or a `DomainValidationError` (INVALID_FIELD_MAPPING) listing every problem. */
export function parseFieldMapping(input: unknown): FieldMapping {
  const problems = validateFieldMapping(input);
  if (problems.length > 0) throw new DomainValidationError('INVALID_FIELD_MAPPING', problems);
  return input as FieldMapping;
}
