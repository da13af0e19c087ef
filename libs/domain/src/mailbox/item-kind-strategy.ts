import type { ItemDiffStrategy } from '../diff/diff-types';
import type { ItemKind } from './mailbox-item-store';
import type { StoredItem } from './stored-item';

/**
 * What the engine needs to know about one item kind (contacts, events), beside the diff
 * strategy: how a plan becomes a write, and how a mailbox item's tags and values become the
 * state a plan is computed against. Pure; the engine stays generic over it.
 */
export interface ItemKindStrategy<TValue, TCurrent, TPlan, TPatch, TValues, TPolicy> {
  readonly kind: ItemKind;
  diff(policy: TPolicy): ItemDiffStrategy<TValue, TCurrent, TPlan>;
  /** The domain patch to write for a plan (the adapter maps it to its transport). */
  patchOf(plan: TPlan): TPatch;
  /** The encoded per-field hashes to tag the item with after this plan's write. */
  fieldHashesOf(plan: TPlan): string | undefined;
  /** The current state of an item that was read with its values. */
  currentOf(item: StoredItem<TValues>): TCurrent;
  /**
   * The part of an item's encoded field hashes worth keeping in the map, so an unread item's
   * state is known without reading it (contacts: the notes hash); undefined = nothing.
   */
  mapHashOf(encodedFieldHashes: string | undefined): string | undefined;
  /** The state known of an unread item from its kept map hash. */
  currentFromMapHash(mapHash: string): TCurrent;
  /** The plan needs the item's current values to be finished (read, then `replan`). */
  needsCurrent(plan: TPlan): boolean;
  replan(desired: TValue, current: TCurrent, policy: TPolicy): TPlan;
  /** What the admin knows the item by (a preview names it): a desired item's name. */
  nameOf(value: TValue): string | undefined;
  /** Something the admin should know of this item in a preview (e.g. a series expanded). */
  noteOf?(value: TValue): string | undefined;
  /** The same for an item read from the mailbox with its values. */
  nameOfValues(values: TValues | undefined): string | undefined;
  /** The fields a plan writes (a preview lists them). */
  fieldsOf(plan: TPlan): readonly string[];
  /** The fields whose values differ between two versions of a desired item. */
  changedFields(before: TValue, after: TValue): readonly string[];
}
