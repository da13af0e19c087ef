/**
 * An item as a mailbox holds it, with our ownership tags when it is ours (an item without a
 * list id and source key is a user's own and is never touched). For a calendar series the
 * item is the series master: occurrences and exceptions travel inside its values.
 */
export interface StoredItem<TValues> {
  itemId: string;
  changeKey?: string;
  listId?: string;
  sourceKey?: string;
  contentHash?: string;
  /** Encoded per-field hashes of what we wrote ("keep user edits" compares against them). */
  fieldHashes?: string;
  /** Present only when the read asked for values. */
  values?: TValues;
}
