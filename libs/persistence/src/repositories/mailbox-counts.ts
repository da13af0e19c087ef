/** Items one mailbox's sync created, updated and deleted. */
export interface MailboxCounts {
  created: number;
  updated: number;
  deleted: number;
}
