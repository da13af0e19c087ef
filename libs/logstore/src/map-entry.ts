/** One line of a mailbox map: which mailbox item holds a source item, and the hash of what was written. */
export interface MapEntry {
  sourceKey: string;
  itemId: string;
  contentHash: string;
  /**
   * The item's change key right after our last write: a delta entry with the same key is our own
   * write, a different one means the user edited the item.
   */
  changeKey?: string;
  /** The user deleted the item we created; kept so a list that does not re-create knows not to. */
  userDeleted?: boolean;
  /**
   * Hash of the notes field as we last wrote it. Notes mix the user's text with our section, so
   * without it every update had to read the item first to learn whether our section changed.
   */
  notesHash?: string;
}
