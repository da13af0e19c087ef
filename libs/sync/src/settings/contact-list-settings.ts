import {
  CONTACT_SOURCE_KINDS,
  DIRECTORY_USER_MAPPING,
  FIELD_POLICIES,
  MANUAL_ENTRY_MAPPING,
  ORG_CONTACT_MAPPING,
  OUTLOOK_CONTACT_MAPPING,
  validateFieldMapping,
  validateFilterRules,
  type ContactSourceConfig,
  type ContactSourceKind,
  type ContactSyncPolicy,
  type FieldMapping,
  type FilterRules,
  CodedError,
} from '@app/domain';
import { z } from 'zod';

const sourceSchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'lower-case letters, digits and -, at most 40'),
    kind: z.enum(CONTACT_SOURCE_KINDS as [ContactSourceKind, ...ContactSourceKind[]]),
    groupId: z.string().uuid().optional(),
    mailboxId: z.string().min(1).max(320).optional(),
    folderName: z.string().min(1).max(200).optional(),
    mapping: z.unknown().optional(),
    filter: z.unknown().optional(),
  })
  .strict()
  .superRefine((source, ctx) => {
    if (source.kind === 'group' && !source.groupId)
      ctx.addIssue({ code: 'custom', path: ['groupId'], message: 'required for a group source' });
    if (source.kind === 'mailbox-folder' && !source.mailboxId) {
      ctx.addIssue({
        code: 'custom',
        path: ['mailboxId'],
        message: 'required for a mailbox-folder source',
      });
    }
    if (source.mapping !== undefined) {
      for (const p of validateFieldMapping(source.mapping))
        ctx.addIssue({
          code: 'custom',
          path: ['mapping', ...p.field.split('.')],
          message: p.message,
        });
    }
    if (source.filter !== undefined) {
      for (const p of validateFilterRules(source.filter))
        ctx.addIssue({
          code: 'custom',
          path: ['filter', ...p.field.split('.')],
          message: p.message,
        });
    }
  });

const policyEnum = z.enum(FIELD_POLICIES as ['write', 'overwrite', 'clear']);

export const contactListSettingsSchema = z
  .object({
    /** In priority order: the first source's non-empty fields win a merge. */
    sources: z.array(sourceSchema).min(1).max(20),
    folder: z
      .object({
        /** `default`: the default Contacts folder (what phones sync), items marked by `category`. */
        mode: z.enum(['default', 'dedicated']).default('default'),
        name: z.string().trim().min(1).max(200).optional(),
        category: z.string().trim().min(1).max(255).optional(),
      })
      .strict()
      .default({ mode: 'default' }),
    policy: z
      .object({
        defaultFieldPolicy: policyEnum.default('clear'),
        fieldPolicies: z.record(z.string(), policyEnum).optional(),
        keepUserEdits: z.boolean().default(false),
      })
      .strict()
      .default({}),
    recreateDeleted: z.boolean().default(true),
    neverDelete: z.boolean().default(false),
    includeSharedMailboxes: z.boolean().default(false),
    /** Room and equipment mailboxes too (meeting-room devices); they need no licence. */
    includeResourceMailboxes: z.boolean().default(false),
    photos: z.boolean().default(false),
  })
  .strict()
  .superRefine((settings, ctx) => {
    const ids = settings.sources.map((s) => s.id);
    ids.forEach((id, i) => {
      if (ids.indexOf(id) !== i)
        ctx.addIssue({
          code: 'custom',
          path: ['sources', i, 'id'],
          message: `duplicate source id "${id}"`,
        });
    });
    if (settings.folder.mode === 'dedicated' && !settings.folder.name) {
      ctx.addIssue({
        code: 'custom',
        path: ['folder', 'name'],
        message: 'required for a dedicated folder',
      });
    }
  });

export type ContactListSettingsInput = z.input<typeof contactListSettingsSchema>;
type ParsedSettings = z.output<typeof contactListSettingsSchema>;
type ParsedSource = ParsedSettings['sources'][number];

export interface ContactListSource extends ContactSourceConfig {
  readonly groupId?: string;
  readonly mailboxId?: string;
  readonly folderName?: string;
}

/** A list's settings, validated and with defaults filled in. */
export interface ContactListSettings {
  readonly sources: readonly ContactListSource[];
  readonly folder: {
    readonly mode: 'default' | 'dedicated';
    readonly name?: string;
    readonly category?: string;
  };
  readonly policy: ContactSyncPolicy;
  readonly recreateDeleted: boolean;
  readonly neverDelete: boolean;
  readonly includeSharedMailboxes: boolean;
  readonly includeResourceMailboxes: boolean;
  readonly photos: boolean;
}

const DEFAULT_MAPPING: Record<ContactSourceKind, FieldMapping> = {
  directory: DIRECTORY_USER_MAPPING,
  group: DIRECTORY_USER_MAPPING,
  'org-contact': ORG_CONTACT_MAPPING,
  'mailbox-folder': OUTLOOK_CONTACT_MAPPING,
  manual: MANUAL_ENTRY_MAPPING,
};

/** Settings refused; the API answers 400 validation_failed with each field under `settings.`. */
export class ListSettingsError extends CodedError {
  constructor(readonly problems: Array<{ field: string; message: string }>) {
    super(
      'validation_failed',
      `invalid list settings: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`,
      // The API names each field under the request's `settings` object.
      {
        status: 400,
        details: { problems: problems.map((p) => ({ ...p, field: `settings.${p.field}` })) },
      },
    );
  }
}

/** Parses stored or submitted settings; every problem is reported with its field path. */
export function parseContactListSettings(input: unknown): ContactListSettings {
  const result = contactListSettingsSchema.safeParse(input);
  if (!result.success) {
    throw new ListSettingsError(
      result.error.issues.map((i) => ({
        field: i.path.join('.') || '(settings)',
        message: i.message,
      })),
    );
  }
  const s = result.data;
  return {
    sources: s.sources.map((source: ParsedSource) => ({
      id: source.id,
      kind: source.kind,
      mapping: (source.mapping as FieldMapping | undefined) ?? DEFAULT_MAPPING[source.kind],
      filter: source.filter as FilterRules | undefined,
      groupId: source.groupId,
      mailboxId: source.mailboxId,
      folderName: source.folderName,
    })),
    folder: s.folder,
    policy: {
      defaultFieldPolicy: s.policy.defaultFieldPolicy,
      fieldPolicies: s.policy.fieldPolicies as ContactSyncPolicy['fieldPolicies'],
      keepUserEdits: s.policy.keepUserEdits,
    },
    recreateDeleted: s.recreateDeleted,
    neverDelete: s.neverDelete,
    includeSharedMailboxes: s.includeSharedMailboxes,
    includeResourceMailboxes: s.includeResourceMailboxes,
    photos: s.photos,
  };
}
