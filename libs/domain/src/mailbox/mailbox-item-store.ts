import type { ChangeSet } from './change-set';
import type { ContainerSpec } from './container-spec';
import type { ItemWrite } from './item-write';
import type { ItemWriteResult } from './item-write-result';
import type { MailboxPurpose } from './mailbox-purpose';
import type { MailboxRef } from './mailbox-ref';
import type { PhotoContentType } from './photo-content-type';
import type { StoredItem } from './stored-item';

/** The item kinds the engine distributes. */
export type ItemKind = 'contact' | 'event';

/**
 * The mailbox port: what the sync engine needs from a mailbox, for one item kind over one
 * transport (Graph contacts today; Graph events, EWS contacts and EWS calendar items plug in
 * beside it). An adapter owns its transport's rules — pacing, batching, retries of throttled
 * requests, the ids and versions it hands out, how it tags our items — and reports
 * mailbox-wide failures as errors carrying a MAILBOX_FAILURE_CODES code.
 */
export interface MailboxItemStore<TPatch, TValues> {
  readonly itemKind: ItemKind;
  readonly transport: string;
  /**
   * The store reaches on-premises mailboxes too (it routes them through EWS): a mailbox once
   * found on-premises is probed again instead of being skipped for a day.
   */
  readonly reachesOnPremises?: boolean;
  /** A session for one job on one mailbox: it carries the job's pacing state. */
  open(mailbox: MailboxRef): MailboxSession<TPatch, TValues>;
}

export interface MailboxSession<TPatch, TValues> {
  /** How the transport reports changes: a change feed (delta, sync state) or none. */
  readonly changeTracking: 'feed' | 'none';
  /**
   * How often a named container is looked at (`inspectContainer`): every run, or once a day
   * where the item listing itself reports a container that is gone (absent: every run).
   */
  readonly containerCheck?: 'every-run' | 'daily';
  /** Requests this session sent again after throttling or transient failures. */
  readonly retries: number;
  /** What the mailbox is for; throws MAILBOX_NOT_FOUND / MAILBOX_ON_PREMISES. */
  probe(): Promise<MailboxPurpose>;
  /**
   * The container's id, created when missing unless `create` is false (a preview): then a
   * missing named container answers undefined. The default container always exists.
   */
  ensureContainer(spec: ContainerSpec, options: { create: boolean }): Promise<string | undefined>;
  /**
   * A named container's current name while it is where `ensureContainer` puts it; null when it
   * is gone — deleted for good, or moved away (a user's delete moves it to Deleted Items, where
   * its id still resolves).
   */
  inspectContainer(containerId: string): Promise<{ name: string } | null>;
  /**
   * Renames a named container in place (its items stay as they are): 'conflict' when another
   * container already has the name, 'gone' when the container no longer exists.
   */
  renameContainer(containerId: string, name: string): Promise<'done' | 'conflict' | 'gone'>;
  /**
   * Changes in the container since `token` (everything when undefined) and the next token;
   * 'expired' when the transport no longer knows the token, or has no change feed
   * (changeTracking 'none'): the engine then lists our tagged items instead. Throws
   * CONTAINER_NOT_FOUND when the container no longer exists (as does `listTagged`).
   */
  readChanges(containerId: string, token: string | undefined): Promise<ChangeSet | 'expired'>;
  /** Every item of the list in the container, found by our tags, page by page. */
  listTagged(containerId: string, listId: string): AsyncIterable<StoredItem<TValues>[]>;
  /** Items by id with our tags (and values when asked); a missing item maps to null. */
  readItems(
    itemIds: readonly string[],
    options: { withValues: boolean },
  ): Promise<Map<string, StoredItem<TValues> | null>>;
  /**
   * Applies the writes, tagging created and updated items with the list and their source key.
   * `onBatch` gets each batch's final results as soon as they are known, so progress survives
   * a crash; a lost response is recovered by the caller through the tags. Throws THROTTLED,
   * after reporting what was done, when the mailbox asks for a longer wait than a job sits out.
   */
  write(
    containerId: string,
    listId: string,
    writes: readonly ItemWrite<TPatch>[],
    onBatch: (results: ItemWriteResult<TPatch>[]) => Promise<void>,
  ): Promise<void>;
  /** Optional capability: item photos (contacts over Graph). */
  readonly photos?: ItemPhotos;
  /**
   * Gives back what the session holds (EWS: its keep-alive agent and the signed-in NTLM
   * socket). The engine calls it once the job is over, whatever its outcome; absent where
   * nothing is held (Graph's sessions share the gateway's connections).
   */
  close?(): Promise<void>;
}

export interface ItemPhotos {
  /**
   * Sets an item's photo, sent as `contentType` (what the bytes are: `photoContentTypeOf`);
   * 'gone' when the item no longer exists (the user deleted it).
   */
  put(itemId: string, photo: Uint8Array, contentType: PhotoContentType): Promise<'done' | 'gone'>;
  /**
   * Removes an item's photo. Absent where the transport has no such operation (Graph v1.0
   * documents no delete for an Outlook contact's photo): the engine then re-creates the item
   * without its photo (created first, then the old one deleted; its id changes).
   */
  remove?(itemId: string): Promise<'done' | 'gone'>;
}
