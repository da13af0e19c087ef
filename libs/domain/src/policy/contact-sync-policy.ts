import { createHash } from 'node:crypto';
import {
  isSyncedContactField,
  SYNCED_CONTACT_FIELDS,
  type SyncedContactField,
} from '../contact/contact-fields';
import { DomainValidationError } from '../errors/domain-validation-error';
import type { ValidationProblem } from '../errors/validation-problem';
import { canonicalJson } from '../hash/canonical-json';

/**
 * Per-field policy, as the leading peers name them:
 * - `write`: fill the field only when the mailbox holds no value (the user's value stays);
 * - `overwrite`: set the source's value; an empty source leaves the mailbox value alone;
 * - `clear`: mirror the source, including clearing the field when the source is empty.
 */
export type FieldPolicy = 'write' | 'overwrite' | 'clear';
export const FIELD_POLICIES: readonly FieldPolicy[] = ['write', 'overwrite', 'clear'];

/** Fields a policy can be set for; notes have their own managed section instead. */
export type PolicyField = Exclude<SyncedContactField, 'personalNotes'>;

/** Whole lines that delimit our part of `personalNotes`. */
export interface NotesMarkers {
  readonly start: string;
  readonly end: string;
}

export const DEFAULT_NOTES_MARKERS: NotesMarkers = {
  start: '--- company directory (managed) ---',
  end: '--- end ---',
};

export interface ContactSyncPolicy {
  /** For fields not listed in `fieldPolicies`. */
  readonly defaultFieldPolicy: FieldPolicy;
  readonly fieldPolicies?: Readonly<Partial<Record<PolicyField, FieldPolicy>>>;
  /**
   * Leave alone a field the user changed since our last write (detected with the field hashes
   * stored at each write; see `computeContactPatch`).
   */
  readonly keepUserEdits: boolean;
  readonly notesMarkers?: NotesMarkers;
}

/**
 * `clear` by default: users' most common complaint about peers is a value removed at the source
 * that lingers in every copy ("old and new phone both shown").
 */
export const DEFAULT_CONTACT_SYNC_POLICY: ContactSyncPolicy = {
  defaultFieldPolicy: 'clear',
  keepUserEdits: false,
  notesMarkers: DEFAULT_NOTES_MARKERS,
};

export function fieldPolicyFor(policy: ContactSyncPolicy, field: PolicyField): FieldPolicy {
  return policy.fieldPolicies?.[field] ?? policy.defaultFieldPolicy;
}

/**
 * A short fingerprint of everything in the policy that changes what we write. Mix it into the
 * content hash (`contactContentHash(c, { salt })`) so that changing a policy re-reconciles
 * every item once instead of waiting for each source value to change.
 */
export function contactPolicyFingerprint(policy: ContactSyncPolicy): string {
  const fields: Record<string, string> = {};
  for (const f of SYNCED_CONTACT_FIELDS) {
    if (f !== 'personalNotes') fields[f] = fieldPolicyFor(policy, f);
  }
  const markers = policy.notesMarkers ?? DEFAULT_NOTES_MARKERS;
  const text = canonicalJson({
    fields,
    keep: policy.keepUserEdits,
    notes: [markers.start, markers.end],
  });
  return createHash('sha256').update(text, 'utf8').digest('base64url').slice(0, 16);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isPolicy = (v: unknown): v is FieldPolicy =>
  (FIELD_POLICIES as readonly unknown[]).includes(v);

/** Every problem of a policy as received (e.g. from the API); empty = valid `ContactSyncPolicy`. */
export function validateContactSyncPolicy(input: unknown): ValidationProblem[] {
  if (!isRecord(input)) return [{ field: '', message: 'a sync policy must be an object' }];
  const problems: ValidationProblem[] = [];
  const policyList = FIELD_POLICIES.join(', ');
  if (!isPolicy(input['defaultFieldPolicy'])) {
    problems.push({ field: 'defaultFieldPolicy', message: `expected one of ${policyList}` });
  }
  if (typeof input['keepUserEdits'] !== 'boolean') {
    problems.push({ field: 'keepUserEdits', message: 'expected true or false' });
  }
  const fieldPolicies = input['fieldPolicies'];
  if (fieldPolicies !== undefined) {
    if (!isRecord(fieldPolicies)) {
      problems.push({ field: 'fieldPolicies', message: 'expected an object of field → policy' });
    } else {
      for (const [field, value] of Object.entries(fieldPolicies)) {
        const at = `fieldPolicies.${field}`;
        if (field === 'personalNotes') {
          problems.push({
            field: at,
            message: 'notes are synced through the managed notes section; no field policy applies',
          });
        } else if (!isSyncedContactField(field)) {
          problems.push({ field: at, message: `unknown contact field "${field}"` });
        } else if (!isPolicy(value)) {
          problems.push({ field: at, message: `expected one of ${policyList}` });
        }
      }
    }
  }
  const markers = input['notesMarkers'];
  if (markers !== undefined) {
    const start = isRecord(markers) ? markers['start'] : undefined;
    const end = isRecord(markers) ? markers['end'] : undefined;
    for (const [name, value] of [
      ['start', start],
      ['end', end],
    ] as const) {
      if (typeof value !== 'string' || value.trim() === '' || /[\r\n]/.test(value)) {
        problems.push({
          field: `notesMarkers.${name}`,
          message: 'expected a non-empty single line',
        });
      }
    }
    if (typeof start === 'string' && typeof end === 'string' && start.trim() === end.trim()) {
      problems.push({
        field: 'notesMarkers.end',
        message: 'the end marker must differ from the start marker',
      });
    }
  }
  return problems;
}

/** `input` as a `ContactSyncPolicy`, or a `DomainValidationError` (INVALID_SYNC_POLICY). */
export function parseContactSyncPolicy(input: unknown): ContactSyncPolicy {
  const problems = validateContactSyncPolicy(input);
  if (problems.length > 0) throw new DomainValidationError('INVALID_SYNC_POLICY', problems);
  return input as ContactSyncPolicy;
}
