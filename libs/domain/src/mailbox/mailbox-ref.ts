/** One mailbox of one tenant, as the engine names it to a mailbox port. */
export interface MailboxRef {
  tenant: { id: string; azureTenantId: string | null };
  /** The directory object id of the mailbox's user (the same for Graph and EWS adapters). */
  mailboxId: string;
}
