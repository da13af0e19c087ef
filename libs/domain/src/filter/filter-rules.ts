export type FilterScalar = string | number | boolean;

export type AttributeOperator =
  'equals' | 'notEquals' | 'contains' | 'startsWith' | 'exists' | 'in';

export const ATTRIBUTE_OPERATORS: readonly AttributeOperator[] = [
  'equals',
  'notEquals',
  'contains',
  'startsWith',
  'exists',
  'in',
];

/**
 * One test on a source record (before mapping). String comparisons ignore case and surrounding
 * whitespace; on a multi-valued attribute a test holds when any value passes it (`notEquals`:
 * when none is equal). `negate` inverts the result.
 */
export type FilterCondition = (
  | {
      readonly type: 'attribute';
      /** A source path, e.g. `onPremisesExtensionAttributes.extensionAttribute15`. */
      readonly path: string;
      readonly operator: AttributeOperator;
      /** A scalar; a non-empty list for `in`; nothing for `exists`. */
      readonly value?: FilterScalar | readonly FilterScalar[];
    }
  /** Any phone the list's mapping would read (business, mobile, home). */
  | { readonly type: 'hasPhone' }
  /** Any e-mail the list's mapping would read (SMTP proxy addresses count, X500 do not). */
  | { readonly type: 'hasMail' }
  /** `accountEnabled` is not `false` (records without it, like org contacts, count as enabled). */
  | { readonly type: 'enabled' }
  /** `assignedLicenses` is a non-empty list. */
  | { readonly type: 'licensed' }
  /** The record's id is among the group's (transitive) members the caller passes in. */
  | { readonly type: 'memberOf'; readonly groupId: string }
  /** The mapped department equals one of `values`. */
  | { readonly type: 'department'; readonly values: readonly string[] }
  /** The mapped country (or usage location) is one of `values`: ISO codes and English names both match. */
  | { readonly type: 'country'; readonly values: readonly string[] }
  /** `userType` is one of `values` (`Member`, `Guest`). */
  | { readonly type: 'userType'; readonly values: readonly string[] }
) & { readonly negate?: boolean };

export type FilterConditionType = FilterCondition['type'];

export const FILTER_CONDITION_TYPES: readonly FilterConditionType[] = [
  'attribute',
  'hasPhone',
  'hasMail',
  'enabled',
  'licensed',
  'memberOf',
  'department',
  'country',
  'userType',
];

/** A rule holds when all of its conditions hold. */
export interface FilterRule {
  readonly when: readonly FilterCondition[];
}

/**
 * A record is synced when it matches at least one include rule (or there are none) and no
 * exclude rule. Exclusion wins.
 */
export interface FilterRules {
  readonly include?: readonly FilterRule[];
  readonly exclude?: readonly FilterRule[];
}

export type FilterDecision =
  | { readonly included: true }
  | { readonly included: false; readonly reason: 'no-include-rule-matched' }
  | { readonly included: false; readonly reason: 'excluded'; readonly excludeRule: number };
