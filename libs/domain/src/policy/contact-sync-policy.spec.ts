import { DomainValidationError } from '../errors/domain-validation-error';
import {
  contactPolicyFingerprint,
  DEFAULT_CONTACT_SYNC_POLICY,
  fieldPolicyFor,
  parseContactSyncPolicy,
  validateContactSyncPolicy,
} from './contact-sync-policy';

describe('contact sync policy', () => {
  it('defaults to clear (mirror the source) without keeping user edits', () => {
    expect(DEFAULT_CONTACT_SYNC_POLICY.defaultFieldPolicy).toBe('clear');
    expect(DEFAULT_CONTACT_SYNC_POLICY.keepUserEdits).toBe(false);
    expect(validateContactSyncPolicy(DEFAULT_CONTACT_SYNC_POLICY)).toEqual([]);
  });

  it('resolves a field policy: the field’s own, else the default', () => {
    const policy = {
      defaultFieldPolicy: 'overwrite' as const,
      keepUserEdits: false,
      fieldPolicies: { mobilePhone: 'write' as const },
    };
    expect(fieldPolicyFor(policy, 'mobilePhone')).toBe('write');
    expect(fieldPolicyFor(policy, 'jobTitle')).toBe('overwrite');
  });

  it('fingerprints what changes the writes, and only that', () => {
    const a = contactPolicyFingerprint(DEFAULT_CONTACT_SYNC_POLICY);
    expect(contactPolicyFingerprint({ ...DEFAULT_CONTACT_SYNC_POLICY })).toBe(a);
    // Spelling the default out per field is the same policy.
    expect(
      contactPolicyFingerprint({
        ...DEFAULT_CONTACT_SYNC_POLICY,
        fieldPolicies: { jobTitle: 'clear' },
      }),
    ).toBe(a);
    expect(
      contactPolicyFingerprint({
        ...DEFAULT_CONTACT_SYNC_POLICY,
        fieldPolicies: { jobTitle: 'write' },
      }),
    ).not.toBe(a);
    expect(
      contactPolicyFingerprint({ ...DEFAULT_CONTACT_SYNC_POLICY, keepUserEdits: true }),
    ).not.toBe(a);
    expect(
      contactPolicyFingerprint({
        ...DEFAULT_CONTACT_SYNC_POLICY,
        notesMarkers: { start: '[ours]', end: '[/ours]' },
      }),
    ).not.toBe(a);
  });

  it('reports every problem with its field', () => {
    expect(
      validateContactSyncPolicy({
        defaultFieldPolicy: 'sometimes',
        keepUserEdits: 'yes',
        fieldPolicies: {
          jobTitle: 'clear',
          personalNotes: 'write',
          shoeSize: 'write',
          mobilePhone: 'always',
        },
        notesMarkers: { start: 'same', end: ' same ' },
      }),
    ).toEqual([
      { field: 'defaultFieldPolicy', message: 'expected one of write, overwrite, clear' },
      { field: 'keepUserEdits', message: 'expected true or false' },
      {
        field: 'fieldPolicies.personalNotes',
        message: expect.stringContaining('managed notes section'),
      },
      { field: 'fieldPolicies.shoeSize', message: 'unknown contact field "shoeSize"' },
      { field: 'fieldPolicies.mobilePhone', message: 'expected one of write, overwrite, clear' },
      { field: 'notesMarkers.end', message: 'the end marker must differ from the start marker' },
    ]);
    expect(
      validateContactSyncPolicy({
        defaultFieldPolicy: 'clear',
        keepUserEdits: true,
        notesMarkers: { start: 'a\nb' },
      }),
    ).toEqual([
      { field: 'notesMarkers.start', message: 'expected a non-empty single line' },
      { field: 'notesMarkers.end', message: 'expected a non-empty single line' },
    ]);
    expect(validateContactSyncPolicy('clear')).toEqual([
      { field: '', message: 'a sync policy must be an object' },
    ]);
  });

  it('parseContactSyncPolicy throws INVALID_SYNC_POLICY', () => {
    expect(parseContactSyncPolicy(DEFAULT_CONTACT_SYNC_POLICY)).toBe(DEFAULT_CONTACT_SYNC_POLICY);
    try {
      parseContactSyncPolicy({ keepUserEdits: true });
      throw new Error('expected a throw');
    } catch (error) {
      expect(error).toBeInstanceOf(DomainValidationError);
      expect((error as DomainValidationError).code).toBe('INVALID_SYNC_POLICY');
    }
  });
});
