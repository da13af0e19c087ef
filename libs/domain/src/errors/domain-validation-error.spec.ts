import { DomainValidationError, throwIfProblems } from './domain-validation-error';

describe('DomainValidationError', () => {
  it('carries a code and every problem, and says them in its message', () => {
    const error = new DomainValidationError('INVALID_FIELD_MAPPING', [
      { field: 'fields.x', message: 'unknown target field "x"' },
      { field: '', message: 'whole input is wrong' },
    ]);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('DomainValidationError');
    expect(error.code).toBe('INVALID_FIELD_MAPPING');
    expect(error.problems).toHaveLength(2);
    expect(error.message).toBe(
      'INVALID_FIELD_MAPPING: fields.x: unknown target field "x"; whole input is wrong',
    );
  });

  it('throwIfProblems throws only when there are problems', () => {
    expect(() => throwIfProblems('INVALID_SYNC_POLICY', [])).not.toThrow();
    expect(() => throwIfProblems('INVALID_SYNC_POLICY', [{ field: 'a', message: 'b' }])).toThrow(
      DomainValidationError,
    );
  });
});
