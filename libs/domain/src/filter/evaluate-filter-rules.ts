import { DomainValidationError } from '../errors/domain-validation-error';
import { pathsFor, type FieldMapping, type MappingTarget } from '../mapping/field-mapping';
import { resolveSourcePath } from '../mapping/source-path';
import { normalizeEmailValue } from '../normalize/normalize-email';
import { resolvePhoneRegion } from '../normalize/phone-region';
import type {
  FilterCondition,
  FilterDecision,
  FilterRule,
  FilterRules,
  FilterScalar,
} from './filter-rules';

export interface FilterContext {
  /** The source's mapping: tells where phones, e-mails, department, country and the id live. */
  readonly mapping: FieldMapping;
  /** Group id → ids of its transitive members, for `memberOf` (ids compared case-insensitively). */
  readonly groupMembers?: ReadonlyMap<string, ReadonlySet<string>>;
}

type Record_ = Readonly<Record<string, unknown>>;

function comparable(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value).trim().toLowerCase()
    : undefined;
}

function valuesAt(
  record: Record_,
  mapping: FieldMapping,
  target: MappingTarget,
  fallback: string[],
) {
  const paths = pathsFor(mapping, target);
  return (paths.length > 0 ? paths : fallback).flatMap((p) => resolveSourcePath(record, p));
}

function isNonEmpty(value: unknown): boolean {
  const text = comparable(value);
  return text === undefined ? typeof value === 'object' : text !== '';
}

// Member sets are large and shared by many records: lower-case each one once.
const lowerCasedSets = new WeakMap<ReadonlySet<string>, ReadonlySet<string>>();
function lowerCased(members: ReadonlySet<string>): ReadonlySet<string> {
  let lower = lowerCasedSets.get(members);
  if (!lower) {
    lower = new Set([...members].map((m) => m.toLowerCase()));
    lowerCasedSets.set(members, lower);
  }
  return lower;
}

function oneOf(actual: readonly unknown[], wanted: readonly string[]): boolean {
  const set = new Set(wanted.map((w) => w.trim().toLowerCase()));
  return actual.some((a) => {
    const c = comparable(a);
    return c !== undefined && set.has(c);
  });
}

function attributeHolds(
  values: readonly unknown[],
  operator: Extract<FilterCondition, { type: 'attribute' }>['operator'],
  expected: FilterScalar | readonly FilterScalar[] | undefined,
): boolean {
  const actual = values.map(comparable).filter((v): v is string => v !== undefined);
  const wanted = comparable(expected);
  switch (operator) {
    case 'exists':
      return values.some(isNonEmpty);
    case 'equals':
      return actual.some((a) => a === wanted);
    case 'notEquals':
      return !actual.some((a) => a === wanted);
    case 'contains':
      return wanted !== undefined && actual.some((a) => a.includes(wanted));
    case 'startsWith':
      return wanted !== undefined && actual.some((a) => a.startsWith(wanted));
    case 'in': {
      const list = Array.isArray(expected) ? (expected as readonly FilterScalar[]) : [];
      return oneOf(values, list.map(String));
    }
  }
}

function conditionHolds(
  record: Record_,
  condition: FilterCondition,
  context: FilterContext,
): boolean {
  const { mapping } = context;
  switch (condition.type) {
    case 'attribute':
      return attributeHolds(
        resolveSourcePath(record, condition.path),
        condition.operator,
        condition.value,
      );
    case 'hasPhone':
      return (['businessPhones', 'mobilePhone', 'homePhones'] as const).some((t) =>
        valuesAt(record, mapping, t, []).some((v) => /\d/.test(comparable(v) ?? '')),
      );
    case 'hasMail':
      return valuesAt(record, mapping, 'emailAddresses', ['mail']).some(
        (v) => normalizeEmailValue(v)?.kind === 'ok',
      );
    case 'enabled':
      return record['accountEnabled'] !== false;
    case 'licensed': {
      const licenses = record['assignedLicenses'];
      return Array.isArray(licenses) && licenses.length > 0;
    }
    case 'memberOf': {
      const members =
        context.groupMembers?.get(condition.groupId) ?? lowerKeyLookup(context, condition.groupId);
      if (!members) {
        throw new DomainValidationError('FILTER_GROUP_MEMBERS_MISSING', [
          {
            field: 'groupId',
            message: `members of group "${condition.groupId}" were not provided`,
          },
        ]);
      }
      const [id] = resolveSourcePath(record, mapping.keyPath);
      const key = comparable(id);
      return key !== undefined && lowerCased(members).has(key);
    }
    case 'department':
      return oneOf(valuesAt(record, mapping, 'department', ['department']), condition.values);
    case 'country': {
      const actual = [
        ...valuesAt(record, mapping, 'businessAddress.countryOrRegion', ['country']),
        ...valuesAt(record, mapping, 'phoneRegion', ['usageLocation']),
      ];
      const regions = new Set(condition.values.map(resolvePhoneRegion).filter(Boolean));
      return (
        oneOf(actual, condition.values) || actual.some((a) => regions.has(resolvePhoneRegion(a)))
      );
    }
    case 'userType':
      return oneOf(resolveSourcePath(record, 'userType'), condition.values);
  }
}

function lowerKeyLookup(context: FilterContext, groupId: string): ReadonlySet<string> | undefined {
  const wanted = groupId.toLowerCase();
  for (const [id, members] of context.groupMembers ?? [])
    if (id.toLowerCase() === wanted) return members;
  return undefined;
}

function ruleHolds(record: Record_, rule: FilterRule, context: FilterContext): boolean {
  return rule.when.every((c) => conditionHolds(record, c, context) !== (c.negate === true));
}

/**
 * Whether a source record is synced, and why not. Missing group members for a `memberOf`
 * condition throw FILTER_GROUP_MEMBERS_MISSING rather than guess: an empty guess would silently
 * include everyone an exclusion was meant to keep out.
 */
export function evaluateFilterRules(
  record: Record_,
  rules: FilterRules | undefined,
  context: FilterContext,
): FilterDecision {
  const exclude = rules?.exclude ?? [];
  for (let i = 0; i < exclude.length; i++) {
    if (ruleHolds(record, exclude[i]!, context)) {
      return { included: false, reason: 'excluded', excludeRule: i };
    }
  }
  const include = rules?.include ?? [];
  if (include.length > 0 && !include.some((rule) => ruleHolds(record, rule, context))) {
    return { included: false, reason: 'no-include-rule-matched' };
  }
  return { included: true };
}

/** The group ids whose members the caller must load before evaluating `rules`. */
export function groupIdsInFilterRules(rules: FilterRules | undefined): string[] {
  const ids = [...(rules?.include ?? []), ...(rules?.exclude ?? [])].flatMap((rule) =>
    rule.when.flatMap((c) => (c.type === 'memberOf' ? [c.groupId] : [])),
  );
  return [...new Set(ids)].sort();
}
