/** What a mailbox is for (Exchange's recipient type): only user mailboxes are synced by default. */
export type MailboxPurpose = 'user' | 'shared' | 'room' | 'equipment' | 'others' | 'unknown';
