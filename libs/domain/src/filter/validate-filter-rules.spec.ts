import { DomainValidationError } from '../errors/domain-validation-error';
import { parseFilterRules, validateFilterRules } from './validate-filter-rules';

describe('validateFilterRules', () => {
  it('accepts every condition type in valid form', () => {
    const rules = {
      include: [
        {
          when: [
            { type: 'attribute', path: 'a.b', operator: 'equals', value: 'x' },
            { type: 'attribute', path: 'a', operator: 'exists', negate: true },
            { type: 'attribute', path: 'a', operator: 'in', value: ['x', 1, true] },
            { type: 'hasPhone' },
            { type: 'hasMail' },
            { type: 'enabled' },
            { type: 'licensed' },
            { type: 'memberOf', groupId: 'g' },
            { type: 'department', values: ['Sales'] },
            { type: 'country', values: ['GB'] },
            { type: 'userType', values: ['Member'] },
          ],
        },
      ],
      exclude: [],
    };
    expect(validateFilterRules(rules)).toEqual([]);
    expect(parseFilterRules(rules)).toBe(rules);
  });

  it('reports each problem with the path of the field', () => {
    const problems = validateFilterRules({
      include: [
        {
          when: [
            { type: 'attribute', path: 'a..b', operator: 'equals', value: 'x' },
            { type: 'attribute', path: 'a', operator: 'like', value: 'x' },
            { type: 'attribute', path: 'a', operator: 'exists', value: 'x' },
            { type: 'attribute', path: 'a', operator: 'in', value: [] },
            { type: 'attribute', path: 'a', operator: 'equals' },
            { type: 'attribute', path: 'a', operator: 'contains', value: ' ' },
            { type: 'attribute', operator: 'equals', value: 'x' },
          ],
        },
      ],
      exclude: [
        { when: [] },
        {
          when: [
            { type: 'memberOf', groupId: ' ' },
            { type: 'department', values: [] },
            { type: 'country', values: ['GB', ''] },
          ],
        },
        { when: [{ type: 'licensed', negate: 'yes' }, { type: 'teleport' }, 'nope'] },
        'not a rule',
      ],
      extra: true,
    });
    expect(problems.map((p) => p.field)).toEqual([
      'extra',
      'include[0].when[0].path',
      'include[0].when[1].operator',
      'include[0].when[2].value',
      'include[0].when[3].value',
      'include[0].when[4].value',
      'include[0].when[5].value',
      'include[0].when[6].path',
      'exclude[0].when',
      'exclude[1].when[0].groupId',
      'exclude[1].when[1].values',
      'exclude[1].when[2].values',
      'exclude[2].when[0].negate',
      'exclude[2].when[1].type',
      'exclude[2].when[2]',
      'exclude[3].when',
    ]);
    expect(problems.every((p) => p.message.length > 0)).toBe(true);
    expect(problems[2]!.message).toContain('unknown operator "like"');
  });

  it('rejects non-objects and non-lists', () => {
    expect(validateFilterRules([])).toEqual([
      { field: '', message: 'filter rules must be an object' },
    ]);
    expect(validateFilterRules({ include: {} })).toEqual([
      { field: 'include', message: 'expected a list of rules' },
    ]);
  });

  it('parseFilterRules throws INVALID_FILTER_RULES', () => {
    expect(() => parseFilterRules({ include: [{ when: [{ type: 'x' }] }] })).toThrow(
      DomainValidationError,
    );
    try {
      parseFilterRules({ include: [{ when: [{ type: 'x' }] }] });
    } catch (error) {
      expect((error as DomainValidationError).code).toBe('INVALID_FILTER_RULES');
      expect((error as DomainValidationError).problems).toEqual([
        {
          field: 'include[0].when[0].type',
          message: expect.stringContaining('unknown condition type "x"'),
        },
      ]);
    }
  });
});
