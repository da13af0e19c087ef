import { evaluate, parseFilter } from './odata';
import { GraphError } from './errors';

const user = {
  displayName: 'Adele Vance',
  department: 'Sales',
  accountEnabled: true,
  mail: 'adele@contoso.com',
  businessPhones: ['+1 425 555 0100'],
};
const item = {
  singleValueExtendedProperties: [
    { id: 'String {6e2b7a44-3f1d-4c8e-9a55-0b1c2d3e4f50} Name ListId', value: 'L1' },
  ],
};

describe('$filter subset', () => {
  const f = (s: string, o: unknown = user) => evaluate(parseFilter(s).node, o);
  it('eq/ne/and/or/not/startswith/in, case-insensitive strings', () => {
    expect(f("department eq 'sales'")).toBe(true);
    expect(f("department eq 'Sales' and accountEnabled eq true")).toBe(true);
    expect(f("department eq 'HR' or startswith(displayName,'ade')")).toBe(true);
    expect(f("not (department eq 'Sales')")).toBe(false);
    expect(f("mail in ('x@y', 'adele@contoso.com')")).toBe(true);
    expect(f("businessPhones/any(p: p eq '+1 425 555 0100')")).toBe(true);
  });
  it('counts collections with /$count and marks it advanced', () => {
    const info = parseFilter('businessPhones/$count eq 1');
    expect(info.advancedOps).toEqual(['$count']);
    expect(evaluate(info.node, user)).toBe(true);
    expect(f('businessPhones/$count eq 0')).toBe(false);
    expect(f('assignedLicenses/$count eq 0', { assignedLicenses: [] })).toBe(true);
    expect(parseFilter("endswith(mail,'.com') and department ne 'x'").advancedOps).toEqual([
      'endsWith',
      'ne',
    ]);
  });
  it('marks advanced queries (ne, not, endswith)', () => {
    expect(parseFilter("department eq 'x'").advanced).toBe(false);
    expect(parseFilter("department ne 'x'").advanced).toBe(true);
    expect(parseFilter("endswith(mail,'.com')").advanced).toBe(true);
  });
  it('extended property lambda with id and value', () => {
    expect(
      f(
        "singleValueExtendedProperties/Any(ep: ep/id eq 'String {6e2b7a44-3f1d-4c8e-9a55-0b1c2d3e4f50} Name ListId' and ep/value eq 'L1')",
        item,
      ),
    ).toBe(true);
    expect(
      f(
        "singleValueExtendedProperties/Any(ep: ep/id eq 'String {6e2b7a44-3f1d-4c8e-9a55-0b1c2d3e4f50} Name ListId' and ep/value eq 'L2')",
        item,
      ),
    ).toBe(false);
  });
  it('escaped quotes and malformed clauses', () => {
    expect(f("displayName eq 'O''Brien'", { displayName: "O'Brien" })).toBe(true);
    for (const bad of [
      "displayName eq 'x",
      '((',
      'displayName',
      'startswith(displayName)',
      'a eq b c',
    ]) {
      expect(() => parseFilter(bad)).toThrow(GraphError);
    }
  });
});
