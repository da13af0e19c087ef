/** One item the list wants in every targeted mailbox (a contact now, an event later). */
export interface DesiredItem<TValue> {
  readonly sourceKey: string;
  readonly value: TValue;
  /** Content hash of `value` (the `ContentHash` tag written with it). */
  readonly contentHash: string;
  /**
   * Other keys this item was known under (keys merged into it). An item of ours tagged with one
   * of them is updated and re-tagged instead of deleted and created again — the user keeps the
   * contact (and their edits) when, say, a CSV row is later matched by a directory user.
   */
  readonly alternateKeys?: readonly string[];
}

/** One item of ours found in the mailbox (its tags, and what else is known about it). */
export interface MailboxItem<TCurrent> {
  readonly itemId: string;
  /** The `ListId` tag; items of another list are ignored. */
  readonly listId: string;
  /** The `SourceKey` tag. */
  readonly sourceKey: string;
  /** The `ContentHash` tag; `undefined` forces an update. */
  readonly contentHash?: string;
  /** `createdDateTime` (ISO 8601): the oldest of duplicates is kept. */
  readonly createdAt?: string;
  /** Current state for patching (for contacts: values and field hashes), when known. */
  readonly current?: TCurrent;
}

/** How one item type computes its write bodies; the planner stays generic. */
export interface ItemDiffStrategy<TValue, TCurrent, TPlan> {
  /** The body for a new item. */
  planCreate(desired: DesiredItem<TValue>): TPlan;
  /** The write for an existing item whose tags must be rewritten (hash differs, or re-keyed). */
  planUpdate(desired: DesiredItem<TValue>, item: MailboxItem<TCurrent>): TPlan;
  /**
   * The hash matches: is there drift to repair (e.g. a user edit seen in the current values that
   * the policy overwrites)? `undefined` = nothing to write. Called only when `item.current` is set.
   */
  planDrift(desired: DesiredItem<TValue>, item: MailboxItem<TCurrent>): TPlan | undefined;
}

export type DiffOp<TValue, TPlan> =
  | {
      readonly kind: 'delete';
      /** `duplicate`: a second item with the same key (e.g. after a crash between create and record). */
      readonly reason: 'duplicate' | 'not-desired';
      readonly itemId: string;
      readonly sourceKey: string;
    }
  | {
      readonly kind: 'update';
      readonly itemId: string;
      /** The key to tag the item with (differs from `previousSourceKey` when re-keyed). */
      readonly sourceKey: string;
      readonly previousSourceKey?: string;
      readonly contentHash: string;
      readonly desired: TValue;
      readonly plan: TPlan;
    }
  | {
      readonly kind: 'create';
      readonly sourceKey: string;
      readonly contentHash: string;
      readonly desired: TValue;
      readonly plan: TPlan;
    };

export interface DiffCounts {
  readonly creates: number;
  readonly updates: number;
  /** Deletes of items no longer desired. */
  readonly deletes: number;
  readonly duplicateDeletes: number;
  /** Desired items already in the mailbox as wanted. */
  readonly noops: number;
  /** Desired items the user deleted, not re-created (`recreateDeleted` off). */
  readonly skippedDeletedByUser: number;
  /** Items of ours no longer desired, kept because of `neverDelete`. */
  readonly keptByNeverDelete: number;
  /** Items passed in that are not this list's (another `listId`, or no source key). */
  readonly ignoredItems: number;
}

export interface DiffPlan<TValue, TPlan> {
  readonly ops: readonly DiffOp<TValue, TPlan>[];
  readonly counts: DiffCounts;
}

export interface DiffInput<TValue, TCurrent> {
  readonly listId: string;
  readonly desired: Iterable<DesiredItem<TValue>>;
  /** Items of ours in the mailbox (the caller selects by tags; others are ignored anyway). */
  readonly actual: Iterable<MailboxItem<TCurrent>>;
  /** Keys we created in this mailbox that the user deleted (from the map cache). */
  readonly deletedByUser?: ReadonlySet<string>;
  readonly recreateDeleted: boolean;
  /** Never delete an item for no longer being desired (duplicates are still removed). */
  readonly neverDelete: boolean;
}
