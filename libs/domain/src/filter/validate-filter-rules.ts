import { DomainValidationError } from '../errors/domain-validation-error';
import type { ValidationProblem } from '../errors/validation-problem';
import { parseSourcePath } from '../mapping/source-path';
import {
  ATTRIBUTE_OPERATORS,
  FILTER_CONDITION_TYPES,
  type FilterRules,
  type FilterScalar,
} from './filter-rules';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isScalar(value: unknown): value is FilterScalar {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function validateCondition(condition: unknown, at: string): ValidationProblem[] {
  if (!isRecord(condition)) return [{ field: at, message: 'a condition must be an object' }];
  const problems: ValidationProblem[] = [];
  const type = condition['type'];
  if (condition['negate'] !== undefined && typeof condition['negate'] !== 'boolean') {
    problems.push({ field: `${at}.negate`, message: 'negate must be true or false' });
  }
  const stringList = (name: string) => {
    const values = condition[name];
    if (
      !Array.isArray(values) ||
      values.length === 0 ||
      values.some((v) => typeof v !== 'string' || v.trim() === '')
    ) {
      problems.push({
        field: `${at}.${name}`,
        message: 'expected a non-empty list of non-empty strings',
      });
    }
  };
  switch (type) {
    case 'attribute': {
      const path = condition['path'];
      const parsed = typeof path === 'string' ? parseSourcePath(path) : undefined;
      if (!parsed) problems.push({ field: `${at}.path`, message: 'path must be a string' });
      else if (!parsed.ok) problems.push({ field: `${at}.path`, message: parsed.error });
      const operator = condition['operator'];
      const value = condition['value'];
      if (!(ATTRIBUTE_OPERATORS as readonly unknown[]).includes(operator)) {
        problems.push({
          field: `${at}.operator`,
          message: `unknown operator "${String(operator)}" (one of ${ATTRIBUTE_OPERATORS.join(', ')})`,
        });
      } else if (operator === 'exists') {
        if (value !== undefined) {
          problems.push({ field: `${at}.value`, message: 'exists takes no value' });
        }
      } else if (operator === 'in') {
        if (!Array.isArray(value) || value.length === 0 || !value.every(isScalar)) {
          problems.push({
            field: `${at}.value`,
            message: 'in needs a non-empty list of strings, numbers or booleans',
          });
        }
      } else if (!isScalar(value)) {
        problems.push({
          field: `${at}.value`,
          message: `${String(operator)} needs a string, number or boolean value`,
        });
      } else if (
        (operator === 'contains' || operator === 'startsWith') &&
        String(value).trim() === ''
      ) {
        problems.push({ field: `${at}.value`, message: `${operator} needs a non-empty value` });
      }
      break;
    }
    case 'memberOf':
      if (typeof condition['groupId'] !== 'string' || condition['groupId'].trim() === '') {
        problems.push({ field: `${at}.groupId`, message: 'groupId must be a non-empty string' });
      }
      break;
    case 'department':
    case 'country':
    case 'userType':
      stringList('values');
      break;
    case 'hasPhone':
    case 'hasMail':
    case 'enabled':
    case 'licensed':
      break;
    default:
      problems.push({
        field: `${at}.type`,
        message: `unknown condition type "${String(type)}" (one of ${FILTER_CONDITION_TYPES.join(', ')})`,
      });
  }
  return problems;
}

/** Every problem of filter rules as received (e.g. from the API); empty = valid `FilterRules`. */
export function validateFilterRules(input: unknown): ValidationProblem[] {
  if (!isRecord(input)) return [{ field: '', message: 'filter rules must be an object' }];
  const problems: ValidationProblem[] = [];
  for (const key of Object.keys(input)) {
    if (key !== 'include' && key !== 'exclude') {
      problems.push({ field: key, message: 'unknown key (expected include and/or exclude)' });
    }
  }
  for (const side of ['include', 'exclude'] as const) {
    const rules = input[side];
    if (rules === undefined) continue;
    if (!Array.isArray(rules)) {
      problems.push({ field: side, message: 'expected a list of rules' });
      continue;
    }
    rules.forEach((rule: unknown, i) => {
      const at = `${side}[${i}]`;
      const when = isRecord(rule) ? rule['when'] : undefined;
      if (!Array.isArray(when) || when.length === 0) {
        problems.push({
          field: `${at}.when`,
          message: 'a rule needs a non-empty list of conditions',
        });
        return;
      }
      when.forEach((c: unknown, j) => problems.push(...validateCondition(c, `${at}.when[${j}]`)));
    });
  }
  return problems;
}

/** `input` as `FilterRules`, or a `DomainValidationError` (INVALID_FILTER_RULES) listing every problem. */
export function parseFilterRules(input: unknown): FilterRules {
  const problems = validateFilterRules(input);
  if (problems.length > 0) throw new DomainValidationError('INVALID_FILTER_RULES', problems);
  return input as FilterRules;
}
