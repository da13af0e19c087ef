/** Changes a preview lists per mailbox at most; the counts always cover every change. */
export const PREVIEW_SAMPLE_LIMIT = 50;

/**
 * One change the next run will make in a mailbox, as a preview shows it: which item (its
 * source key, name and, for items already there, id), what (create, update, delete) and, for
 * writes, which fields.
 */
export interface PreviewChange {
  action: 'create' | 'update' | 'delete';
  sourceKey: string;
  /** The mailbox item (updates and deletes). */
  itemId?: string;
  name?: string;
  /** What the admin should know of this item (e.g. a series pushed as single events). */
  note?: string;
  /** Fields written (creates and updates). */
  fields?: string[];
  /**
   * Why: a delete of an item no longer in the list (`not-desired`), of a second copy
   * (`duplicate`), of every item of a mailbox no longer targeted (`not-targeted`), of an item
   * left in the old folder when the list moves (`moved`: re-created in the new one); an update
   * made by re-creating the item (`recreated`: its photo must go and the transport cannot
   * remove one, so the item is created again without it and the old one deleted; its id changes).
   */
  reason?: 'not-desired' | 'duplicate' | 'not-targeted' | 'moved' | 'recreated';
  /** An update that re-tags an item known under another key. */
  previousSourceKey?: string;
}

/** A mailbox's sample of changes (the first PREVIEW_SAMPLE_LIMIT, in the order of the run). */
export interface MailboxPreview {
  changes: PreviewChange[];
  /** More changes than the sample holds. */
  truncated: boolean;
}
