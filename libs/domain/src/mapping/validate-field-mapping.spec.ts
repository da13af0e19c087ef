import { DomainValidationError } from '../errors/domain-validation-error';
import {
  DIRECTORY_USER_MAPPING,
  MANUAL_ENTRY_MAPPING,
  ORG_CONTACT_MAPPING,
  OUTLOOK_CONTACT_MAPPING,
} from './default-mappings';
import { parseFieldMapping, validateFieldMapping } from './validate-field-mapping';

describe('validateFieldMapping', () => {
  it('accepts every default mapping', () => {
    for (const mapping of [
      DIRECTORY_USER_MAPPING,
      ORG_CONTACT_MAPPING,
      OUTLOOK_CONTACT_MAPPING,
      MANUAL_ENTRY_MAPPING,
    ]) {
      expect(validateFieldMapping(mapping)).toEqual([]);
    }
  });

  it('names each bad entry: unknown targets, bad paths, wrong types', () => {
    const problems = validateFieldMapping({
      keyPath: 'id',
      fields: {
        givenName: 'givenName',
        jobtitle: 'jobTitle',
        shoeSize: 'x',
        surname: 'a..b',
        businessPhones: ['businessPhones', 7, 'x[oops]'],
        'businessAddress.planet': 'p',
        mobilePhone: [],
      },
    });
    expect(problems).toEqual([
      {
        field: 'fields.jobtitle',
        message: 'unknown target field "jobtitle" (did you mean "jobTitle"?)',
      },
      { field: 'fields.shoeSize', message: 'unknown target field "shoeSize"' },
      { field: 'fields.surname', message: expect.stringContaining('a..b') },
      { field: 'fields.businessPhones[1]', message: 'a path must be a string' },
      { field: 'fields.businessPhones[2]', message: expect.stringContaining('[oops]') },
      {
        field: 'fields.businessAddress.planet',
        message: 'unknown target field "businessAddress.planet"',
      },
      { field: 'fields.mobilePhone', message: 'expected a path or a non-empty list of paths' },
    ]);
  });

  it('rejects a whole address as a target (parts only) and an empty mapping', () => {
    expect(validateFieldMapping({ keyPath: 'id', fields: { businessAddress: 'x' } })).toEqual([
      { field: 'fields.businessAddress', message: 'unknown target field "businessAddress"' },
    ]);
    expect(validateFieldMapping({ keyPath: 'id', fields: {} })).toEqual([
      { field: 'fields', message: 'the mapping fills no field' },
    ]);
  });

  it('checks the key path and the overall shape', () => {
    expect(validateFieldMapping({ keyPath: 3, fields: { givenName: 'g' } })).toEqual([
      { field: 'keyPath', message: 'keyPath must be a path string, e.g. "id"' },
    ]);
    expect(validateFieldMapping({ keyPath: 'a.', fields: { givenName: 'g' } })[0]!.field).toBe(
      'keyPath',
    );
    expect(validateFieldMapping({ keyPath: 'id', fields: [] })[0]!.field).toBe('fields');
    expect(validateFieldMapping(null)).toEqual([
      { field: '', message: 'a field mapping must be an object' },
    ]);
  });
});

describe('parseFieldMapping', () => {
  it('returns a valid mapping and throws INVALID_FIELD_MAPPING with every problem otherwise', () => {
    expect(parseFieldMapping(DIRECTORY_USER_MAPPING)).toBe(DIRECTORY_USER_MAPPING);
    try {
      parseFieldMapping({ keyPath: 'id', fields: { a: 'x', b: 'y' } });
      throw new Error('expected a throw');
    } catch (error) {
      expect(error).toBeInstanceOf(DomainValidationError);
      const e = error as DomainValidationError;
      expect(e.code).toBe('INVALID_FIELD_MAPPING');
      expect(e.problems.map((p) => p.field)).toEqual(['fields.a', 'fields.b']);
      expect(e.message).toContain('fields.a');
    }
  });
});
