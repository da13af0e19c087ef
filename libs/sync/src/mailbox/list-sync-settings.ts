/** What the engine reads of a list's settings, whatever its item kind. */
export interface ListSyncSettings<TPolicy> {
  readonly folder: { readonly mode: 'default' | 'dedicated'; readonly name?: string };
  readonly policy: TPolicy;
  readonly recreateDeleted: boolean;
  readonly neverDelete: boolean;
  readonly includeSharedMailboxes: boolean;
  /** Room and equipment mailboxes may receive the list. */
  readonly includeResourceMailboxes: boolean;
  readonly photos: boolean;
}
