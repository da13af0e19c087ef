import type { ContactIssue } from './contact-issue';
import type { ContactSourceKind } from './contact-source-kind';
import type { EmailAddress } from './email-address';
import type { PhysicalAddress } from './physical-address';

/**
 * The fields we write to a mailbox contact. Names match Microsoft Graph's `contact` resource so
 * the Graph adapter maps 1:1 (`photoHash` is ours: the photo is uploaded separately, we keep the
 * hash of the bytes). Empty values are `undefined` (scalars, addresses) or `[]` (collections).
 */
export interface ContactFields {
  readonly givenName?: string;
  readonly middleName?: string;
  readonly surname?: string;
  readonly displayName?: string;
  readonly fileAs?: string;
  readonly nickName?: string;
  readonly initials?: string;
  readonly companyName?: string;
  readonly department?: string;
  readonly jobTitle?: string;
  readonly officeLocation?: string;
  readonly profession?: string;
  readonly manager?: string;
  readonly assistantName?: string;
  /** At most 3 (Outlook's Email, Email 2, Email 3). */
  readonly emailAddresses: readonly EmailAddress[];
  /** E.164 (`+442079460958`, extension as `+14255550100;ext=12`), or as written when invalid. */
  readonly businessPhones: readonly string[];
  readonly mobilePhone?: string;
  readonly homePhones: readonly string[];
  readonly businessAddress?: PhysicalAddress;
  readonly homeAddress?: PhysicalAddress;
  readonly otherAddress?: PhysicalAddress;
  readonly businessHomePage?: string;
  /** `YYYY-MM-DD`. */
  readonly birthday?: string;
  /** Our text only; in the mailbox it sits between markers beside the user's own notes. */
  readonly personalNotes?: string;
  /** Sorted, de-duplicated case-insensitively (order carries no meaning in Outlook). */
  readonly categories: readonly string[];
  /** Hash of the photo bytes; the adapter uploads the photo when it changes. */
  readonly photoHash?: string;
}

/** A contact as the sync engine wants it to exist in every targeted mailbox. */
export interface Contact extends ContactFields {
  /** Stable identity across runs, lower-case, e.g. `user:6f1c…`; see `makeSourceKey`. */
  readonly sourceKey: string;
  /** Kind of the source that won the merge (the highest-priority contributor). */
  readonly sourceKind: ContactSourceKind;
  /** Ids of the list's sources that contributed, highest priority first. */
  readonly sourceIds: readonly string[];
  /** Every source key merged into this contact, `sourceKey` first. */
  readonly mergedKeys: readonly string[];
  /** Phone numbers that could not be normalised (kept as written) or did not fit. */
  readonly phoneIssues: readonly ContactIssue[];
  /** Other flagged values (invalid e-mail or birthday, too many e-mails, non-text values). */
  readonly fieldIssues: readonly ContactIssue[];
}

/**
 * Field values of a contact as read from the mailbox (the adapter maps Graph's JSON to this).
 * A missing key means the mailbox holds no value for it.
 */
export type MailboxContactValues = Partial<ContactFields>;
