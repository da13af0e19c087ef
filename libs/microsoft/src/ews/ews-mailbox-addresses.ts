import type { MailboxRef } from '@app/domain';

/** The SMTP address EWS impersonates for a mailbox (the engine names mailboxes by directory id). */
export interface EwsMailboxAddresses {
  addressOf(mailbox: MailboxRef): Promise<string | null>;
}
