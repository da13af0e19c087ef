/**
 * Why a source value is flagged. Invalid phones are still synced as written; invalid e-mails and
 * values over Outlook's slot limits are not sent (Outlook would refuse or silently drop them).
 */
export type ContactIssueReason =
  'invalid-phone' | 'invalid-email' | 'invalid-birthday' | 'over-limit' | 'not-text';

export interface ContactIssue {
  /** Contact field the value was meant for, e.g. `businessPhones`. */
  readonly field: string;
  /** The value as written in the source (trimmed). */
  readonly value: string;
  readonly reason: ContactIssueReason;
}
