import { DomainValidationError } from '../errors/domain-validation-error';
import { DIRECTORY_USER_MAPPING, ORG_CONTACT_MAPPING } from '../mapping/default-mappings';
import { graphOrgContact, graphUser } from '../testing/source-records';
import {
  evaluateFilterRules,
  groupIdsInFilterRules,
  type FilterContext,
} from './evaluate-filter-rules';
import type { FilterCondition, FilterRules } from './filter-rules';

const users: FilterContext = { mapping: DIRECTORY_USER_MAPPING };
const holds = (
  record: Record<string, unknown>,
  condition: FilterCondition,
  context: FilterContext = users,
) => evaluateFilterRules(record, { include: [{ when: [condition] }] }, context).included;

describe('evaluateFilterRules', () => {
  it('includes everything without rules', () => {
    expect(evaluateFilterRules(graphUser, undefined, users)).toEqual({ included: true });
    expect(evaluateFilterRules(graphUser, {}, users)).toEqual({ included: true });
  });

  describe('attribute conditions (case-insensitive, trimmed)', () => {
    const path = 'onPremisesExtensionAttributes.extensionAttribute2';
    it.each<[FilterCondition, boolean]>([
      [{ type: 'attribute', path, operator: 'equals', value: ' floor 2 ' }, true],
      [{ type: 'attribute', path, operator: 'equals', value: 'Floor 3' }, false],
      [{ type: 'attribute', path, operator: 'notEquals', value: 'FLOOR 2' }, false],
      [{ type: 'attribute', path, operator: 'notEquals', value: 'Floor 3' }, true],
      [{ type: 'attribute', path, operator: 'contains', value: 'OOR' }, true],
      [{ type: 'attribute', path, operator: 'startsWith', value: 'floor' }, true],
      [{ type: 'attribute', path, operator: 'startsWith', value: '2' }, false],
      [{ type: 'attribute', path, operator: 'exists' }, true],
      [
        {
          type: 'attribute',
          path: 'onPremisesExtensionAttributes.extensionAttribute15',
          operator: 'exists',
        },
        false,
      ],
      [{ type: 'attribute', path, operator: 'in', value: ['Floor 1', 'FLOOR 2'] }, true],
      [{ type: 'attribute', path, operator: 'in', value: ['Floor 1'] }, false],
      [{ type: 'attribute', path: 'accountEnabled', operator: 'equals', value: true }, true],
      [{ type: 'attribute', path: 'accountEnabled', operator: 'equals', value: 'TRUE' }, true],
      [{ type: 'attribute', path: 'otherMails', operator: 'contains', value: 'private' }, true],
      [{ type: 'attribute', path: 'missing', operator: 'notEquals', value: 'x' }, true],
      [{ type: 'attribute', path: 'missing', operator: 'equals', value: 'x' }, false],
      [{ type: 'attribute', path: 'assignedLicenses', operator: 'exists' }, true],
      [{ type: 'attribute', path, operator: 'equals', value: 'Floor 2', negate: true }, false],
    ])('%j → %s', (condition, expected) => {
      expect(holds(graphUser, condition)).toBe(expected);
    });

    it('treats empty strings and empty lists as not existing', () => {
      const record = { a: '  ', b: [], c: 0, d: false };
      expect(holds(record, { type: 'attribute', path: 'a', operator: 'exists' })).toBe(false);
      expect(holds(record, { type: 'attribute', path: 'b', operator: 'exists' })).toBe(false);
      expect(holds(record, { type: 'attribute', path: 'c', operator: 'exists' })).toBe(true);
      expect(holds(record, { type: 'attribute', path: 'd', operator: 'exists' })).toBe(true);
    });
  });

  it('hasPhone and hasMail look where the mapping reads', () => {
    expect(holds(graphUser, { type: 'hasPhone' })).toBe(true);
    expect(
      holds({ ...graphUser, businessPhones: [], mobilePhone: null }, { type: 'hasPhone' }),
    ).toBe(false);
    expect(
      holds({ ...graphUser, businessPhones: ['  '], mobilePhone: '' }, { type: 'hasPhone' }),
    ).toBe(false);
    expect(holds(graphUser, { type: 'hasMail' })).toBe(true);
    expect(holds({ ...graphUser, mail: null }, { type: 'hasMail' })).toBe(false);
    expect(holds({ ...graphUser, mail: 'n/a' }, { type: 'hasMail' })).toBe(false);
    const orgContacts = { mapping: ORG_CONTACT_MAPPING };
    expect(holds(graphOrgContact, { type: 'hasMail' }, orgContacts)).toBe(true); // through SMTP proxies
    expect(
      holds(
        { ...graphOrgContact, proxyAddresses: ['X500:/o=x'] },
        { type: 'hasMail' },
        orgContacts,
      ),
    ).toBe(false);
    expect(holds(graphOrgContact, { type: 'hasPhone' }, orgContacts)).toBe(true);
    expect(
      holds(
        { ...graphOrgContact, phones: [{ type: 'businessFax', number: '1' }] },
        { type: 'hasPhone' },
        orgContacts,
      ),
    ).toBe(false);
  });

  it('enabled: only an explicit accountEnabled false disables', () => {
    expect(holds(graphUser, { type: 'enabled' })).toBe(true);
    expect(holds({ ...graphUser, accountEnabled: false }, { type: 'enabled' })).toBe(false);
    expect(holds(graphOrgContact, { type: 'enabled' }, { mapping: ORG_CONTACT_MAPPING })).toBe(
      true,
    );
  });

  it('licensed: a non-empty assignedLicenses list', () => {
    expect(holds(graphUser, { type: 'licensed' })).toBe(true);
    expect(holds({ ...graphUser, assignedLicenses: [] }, { type: 'licensed' })).toBe(false);
    expect(holds(graphOrgContact, { type: 'licensed' })).toBe(false);
  });

  it('memberOf: the record id among the members the caller passes, case-insensitively', () => {
    const context: FilterContext = {
      mapping: DIRECTORY_USER_MAPPING,
      groupMembers: new Map([
        ['G-Sales', new Set([graphUser.id.toLowerCase()])],
        ['g-empty', new Set<string>()],
      ]),
    };
    expect(holds(graphUser, { type: 'memberOf', groupId: 'G-Sales' }, context)).toBe(true);
    expect(holds(graphUser, { type: 'memberOf', groupId: 'g-sales' }, context)).toBe(true);
    expect(holds(graphUser, { type: 'memberOf', groupId: 'g-empty' }, context)).toBe(false);
  });

  it('memberOf without the group members throws instead of guessing', () => {
    expect(() => holds(graphUser, { type: 'memberOf', groupId: 'nope' })).toThrow(
      DomainValidationError,
    );
    try {
      holds(graphUser, { type: 'memberOf', groupId: 'nope' });
    } catch (error) {
      expect((error as DomainValidationError).code).toBe('FILTER_GROUP_MEMBERS_MISSING');
    }
  });

  it('department, country (codes and names) and userType', () => {
    expect(holds(graphUser, { type: 'department', values: ['retail', 'Sales'] })).toBe(true);
    expect(holds(graphUser, { type: 'department', values: ['Sales'] })).toBe(false);
    expect(holds(graphUser, { type: 'country', values: ['GB'] })).toBe(true);
    expect(holds(graphUser, { type: 'country', values: ['united kingdom'] })).toBe(true);
    expect(holds(graphUser, { type: 'country', values: ['UK'] })).toBe(true);
    expect(holds(graphUser, { type: 'country', values: ['US', 'Germany'] })).toBe(false);
    expect(
      holds(graphOrgContact, { type: 'country', values: ['DE'] }, { mapping: ORG_CONTACT_MAPPING }),
    ).toBe(true);
    expect(holds(graphUser, { type: 'userType', values: ['member'] })).toBe(true);
    expect(
      holds({ ...graphUser, userType: 'Guest' }, { type: 'userType', values: ['Guest'] }),
    ).toBe(true);
    expect(holds(graphOrgContact, { type: 'userType', values: ['Guest'] })).toBe(false);
  });

  it('combines: any include rule, all conditions of a rule, and exclusion wins', () => {
    const rules: FilterRules = {
      include: [
        { when: [{ type: 'department', values: ['Sales'] }] },
        { when: [{ type: 'licensed' }, { type: 'enabled' }] },
      ],
      exclude: [
        { when: [{ type: 'userType', values: ['Guest'] }] },
        {
          when: [
            {
              type: 'attribute',
              path: 'onPremisesExtensionAttributes.extensionAttribute15',
              operator: 'equals',
              value: 'HideFromSync',
            },
          ],
        },
      ],
    };
    expect(evaluateFilterRules(graphUser, rules, users)).toEqual({ included: true });
    expect(evaluateFilterRules({ ...graphUser, accountEnabled: false }, rules, users)).toEqual({
      included: false,
      reason: 'no-include-rule-matched',
    });
    expect(
      evaluateFilterRules(
        { ...graphUser, accountEnabled: false, department: 'Sales' },
        rules,
        users,
      ),
    ).toEqual({
      included: true,
    });
    expect(evaluateFilterRules({ ...graphUser, userType: 'Guest' }, rules, users)).toEqual({
      included: false,
      reason: 'excluded',
      excludeRule: 0,
    });
    const hidden = {
      ...graphUser,
      onPremisesExtensionAttributes: { extensionAttribute15: 'HideFromSync' },
    };
    expect(evaluateFilterRules(hidden, rules, users)).toEqual({
      included: false,
      reason: 'excluded',
      excludeRule: 1,
    });
  });

  it('excludes contacts without phone with a negated condition', () => {
    const rules: FilterRules = { exclude: [{ when: [{ type: 'hasPhone', negate: true }] }] };
    expect(evaluateFilterRules(graphUser, rules, users).included).toBe(true);
    expect(
      evaluateFilterRules({ ...graphUser, businessPhones: [], mobilePhone: null }, rules, users)
        .included,
    ).toBe(false);
  });
});

describe('groupIdsInFilterRules', () => {
  it('lists each referenced group once, sorted', () => {
    expect(
      groupIdsInFilterRules({
        include: [{ when: [{ type: 'memberOf', groupId: 'b' }, { type: 'licensed' }] }],
        exclude: [
          { when: [{ type: 'memberOf', groupId: 'a' }] },
          { when: [{ type: 'memberOf', groupId: 'b' }] },
        ],
      }),
    ).toEqual(['a', 'b']);
    expect(groupIdsInFilterRules(undefined)).toEqual([]);
  });
});
