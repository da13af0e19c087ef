import {
  type ChangeSet,
  type ContactPatch,
  type ContainerSpec,
  type ItemWrite,
  type ItemWriteResult,
  type MailboxContactValues,
  type MailboxPurpose,
  type MailboxSession,
  type StoredItem,
} from '@app/domain';
import {
  BasePropertySet,
  ChangeType,
  ConflictResolutionMode,
  Contact,
  ContactsFolder,
  DeleteMode,
  Folder,
  FolderId,
  FolderSchema,
  FolderTraversal,
  FolderView,
  ItemId,
  ItemSchema,
  ItemView,
  type ExchangeService,
  OffsetBasePoint,
  PropertySet,
  SearchFilter,
  ServiceResult,
  SyncFolderItemsScope,
  WellKnownFolderName,
  type Item,
  type ServiceResponse,
} from 'ews-javascript-api';
import { MicrosoftError } from '../microsoft-error';
import { applyContactPatch, contactValuesOf } from './ews-contact-fields';
import { ewsFailureOf, type EwsFailure } from './ews-failure';
import { ewsMailboxError } from './ews-mailbox-error';
import { EWS_TAG_LIST, EWS_TAGS, readEwsTags } from './ews-ownership-tags';
import type { EwsPace } from './ews-pace';
import type { EwsServiceHandle } from './ews-service-factory';

type ContactWrite = ItemWrite<ContactPatch>;
type WriteResult = ItemWriteResult<ContactPatch>;
type ContactItem = StoredItem<MailboxContactValues>;

/** FindItem returns at most 1,000 items a page by default (EWSFindCountLimit). */
const PAGE = 1000;
/** Writes per CreateItem/UpdateItem/DeleteItem call. */
const WRITE_BATCH = 100;
/** SyncFolderItems' MaxChangesReturned may be 1 to 512 (MaxSyncChangesReturnedType). */
const SYNC_PAGE = 512;
/** Our change tokens are the folder's sync state; ADR 0044's fingerprints ('ews-fp:') are expired. */
const TOKEN_PREFIX = 'ews-sync:';
const FOLDER_GONE = new Set([
  'ErrorFolderNotFound',
  'ErrorItemNotFound',
  'ErrorInvalidIdMalformed',
]);
const ITEM_GONE = new Set([
  'ErrorItemNotFound',
  'ErrorInvalidIdMalformed',
  'ErrorInvalidIdNotAnItemAttachmentId',
]);

/** What a session needs that the store resolves per tenant and mailbox. */
export interface EwsSessionContext {
  /** The ExchangeService for the tenant's connection, impersonating the mailbox. */
  connect(): Promise<{ handle: EwsServiceHandle; address: string; account: string }>;
  pace: EwsPace;
  /** A wait longer than this is not sat out: THROTTLED, the job is rescheduled. */
  maxInlineWaitMs: number;
  sleep(ms: number): Promise<void>;
}

/**
 * The mailbox port for contacts over EWS (Exchange Server on-premises), for one job on one
 * mailbox, impersonated with its SMTP address: folder ensure (FindFolder/CreateFolder), our
 * items found by FindItem restricted to our extended property (paged), batched
 * CreateItem/UpdateItem/DeleteItem with one result per item, and no operation on the mailbox
 * before a BackOffMilliseconds Exchange asked for has passed. Change detection: the folder's
 * sync state (SyncFolderItems) is the engine's change token (ADR 0049).
 */
export class EwsContactsSession implements MailboxSession<ContactPatch, MailboxContactValues> {
  readonly changeTracking = 'feed';
  retries = 0;
  /** SOAP operations sent (the cost unit on EWS). */
  operations = 0;
  private connection?: Promise<{ handle: EwsServiceHandle; address: string; account: string }>;

  constructor(private readonly ctx: EwsSessionContext) {}

  /** NTLM handshake requests sent beside the SOAP operations. */
  get handshakes(): number {
    return this.connected?.handle.handshakes() ?? 0;
  }
  private connected?: { handle: EwsServiceHandle; address: string; account: string };

  /** EWS has no recipient type for the mailbox itself: reaching its Contacts folder proves a user mailbox. */
  async probe(): Promise<MailboxPurpose> {
    await this.call('GetFolder', (s) =>
      Folder.Bind(
        s,
        new FolderId(WellKnownFolderName.Contacts),
        new PropertySet(BasePropertySet.IdOnly),
      ),
    );
    return 'user';
  }

  async ensureContainer(
    spec: ContainerSpec,
    options: { create: boolean },
  ): Promise<string | undefined> {
    if (spec.kind === 'default') {
      const folder = await this.call('GetFolder', (s) =>
        Folder.Bind(
          s,
          new FolderId(WellKnownFolderName.Contacts),
          new PropertySet(BasePropertySet.IdOnly),
        ),
      );
      return folder.Id.UniqueId;
    }
    const wanted = spec.name.toLowerCase();
    const found = (await this.childFolders()).find((f) => f.name.toLowerCase() === wanted);
    if (found) return found.id;
    if (!options.create) return undefined;
    const folder = await this.call('CreateFolder', async (s) => {
      const f = new ContactsFolder(s);
      f.DisplayName = spec.name;
      await f.Save(new FolderId(WellKnownFolderName.Contacts));
      return f;
    });
    return folder.Id.UniqueId;
  }

  /** A folder of ours while it is a child of the default Contacts folder; null once deleted or moved away. */
  async inspectContainer(containerId: string): Promise<{ name: string } | null> {
    const found = (await this.childFolders()).find((f) => f.id === containerId);
    return found ? { name: found.name } : null;
  }

  async renameContainer(containerId: string, name: string): Promise<'done' | 'conflict' | 'gone'> {
    try {
      const folder = await this.call('GetFolder', (s) =>
        Folder.Bind(
          s,
          new FolderId(containerId),
          new PropertySet(BasePropertySet.IdOnly, [FolderSchema.DisplayName]),
        ),
      );
      folder.DisplayName = name;
      await this.call('UpdateFolder', () => folder.Update());
      return 'done';
    } catch (error) {
      const code = (error as MicrosoftError).details?.ewsCode;
      if (code === 'ErrorFolderExists') return 'conflict';
      if (code && FOLDER_GONE.has(code)) return 'gone';
      throw error;
    }
  }

  /**
   * Changes in the folder since the sync state in `token` (every item when undefined), through
   * SyncFolderItems (ids and change keys only, 512 a call): a no-op is one operation, whatever
   * the folder holds, and a user's edit reports just the edited items. A sync state Exchange
   * rejects (ErrorInvalidSyncStateData), or a token of another kind, is 'expired': the engine
   * then lists our tagged items.
   */
  async readChanges(
    containerId: string,
    token: string | undefined,
  ): Promise<ChangeSet | 'expired'> {
    if (token !== undefined && !token.startsWith(TOKEN_PREFIX)) return 'expired';
    let state = token?.slice(TOKEN_PREFIX.length) ?? null;
    // Per item, its last change: an item created then deleted between two syncs is removed.
    const latest = new Map<string, ChangeSet['changes'][number]>();
    for (;;) {
      let page;
      try {
        page = await this.call(
          'SyncFolderItems',
          (s) =>
            s.SyncFolderItems(
              new FolderId(containerId),
              new PropertySet(BasePropertySet.IdOnly),
              null as never,
              SYNC_PAGE,
              SyncFolderItemsScope.NormalItems,
              state as string,
            ),
          { folder: containerId },
        );
      } catch (error) {
        if ((error as MicrosoftError).details?.ewsCode === 'ErrorInvalidSyncStateData')
          return 'expired';
        throw error;
      }
      for (const change of page.GetEnumerator()) {
        if (change.ChangeType === ChangeType.ReadFlagChange) continue;
        const id = change.ItemId;
        latest.delete(id.UniqueId);
        latest.set(
          id.UniqueId,
          change.ChangeType === ChangeType.Delete
            ? { id: id.UniqueId, removed: true }
            : { id: id.UniqueId, changeKey: id.ChangeKey, removed: false },
        );
      }
      state = page.SyncState;
      if (!page.MoreChangesAvailable) break;
    }
    return { changes: [...latest.values()], token: `${TOKEN_PREFIX}${state}` };
  }

  async *listTagged(containerId: string, listId: string): AsyncIterable<ContactItem[]> {
    for await (const page of this.findItems(
      containerId,
      new SearchFilter.IsEqualTo(EWS_TAGS.listId, listId),
      new PropertySet(BasePropertySet.IdOnly, EWS_TAG_LIST),
    )) {
      yield page.map((item) => ({
        itemId: item.Id.UniqueId,
        changeKey: item.Id.ChangeKey,
        ...readEwsTags(item),
      }));
    }
  }

  async readItems(
    itemIds: readonly string[],
    options: { withValues: boolean },
  ): Promise<Map<string, ContactItem | null>> {
    const found = new Map<string, ContactItem | null>();
    const props = new PropertySet(
      options.withValues ? BasePropertySet.FirstClassProperties : BasePropertySet.IdOnly,
      EWS_TAG_LIST,
    );
    for (let start = 0; start < itemIds.length; start += WRITE_BATCH) {
      const ids = itemIds.slice(start, start + WRITE_BATCH);
      const responses = await this.call('GetItem', (s) =>
        s.BindToItems(
          ids.map((id) => new ItemId(id)),
          props,
        ),
      );
      responses.Responses.forEach((res, i) => {
        if (res.Result !== ServiceResult.Success) {
          const f = this.itemFailure(res);
          if (f.responseCode && ITEM_GONE.has(f.responseCode)) return found.set(ids[i], null);
          throw this.mapped(f);
        }
        const item = res.Item;
        found.set(ids[i], {
          itemId: item.Id.UniqueId,
          changeKey: item.Id.ChangeKey,
          ...readEwsTags(item),
          ...(options.withValues && item instanceof Contact
            ? { values: contactValuesOf(item) }
            : {}),
        });
      });
    }
    return found;
  }

  async write(
    containerId: string,
    listId: string,
    writes: readonly ContactWrite[],
    onBatch: (results: WriteResult[]) => Promise<void>,
  ): Promise<void> {
    for (let start = 0; start < writes.length; start += WRITE_BATCH) {
      const chunk = writes.slice(start, start + WRITE_BATCH);
      const results = new Map<ContactWrite, WriteResult>();
      const creates = chunk.filter((w) => w.kind === 'create');
      const updates = chunk.filter((w) => w.kind === 'update');
      const deletes = chunk.filter((w) => w.kind === 'delete');
      try {
        if (creates.length) await this.create(containerId, listId, creates, results);
        if (updates.length) await this.update(listId, updates, results);
        if (deletes.length) await this.remove(deletes, results);
      } finally {
        // What is final is reported before an error propagates: progress survives.
        const known = chunk.map((w) => results.get(w)).filter((r): r is WriteResult => !!r);
        if (known.length) await onBatch(known);
      }
    }
  }

  /** Closes the connection's sockets. */
  close(): void {
    this.connected?.handle.close();
  }

  private async create(
    folderId: string,
    listId: string,
    writes: Extract<ContactWrite, { kind: 'create' }>[],
    results: Map<ContactWrite, WriteResult>,
  ): Promise<void> {
    const { handle } = await this.connect();
    const contacts = writes.map((w) => {
      const c = new Contact(handle.service);
      applyContactPatch(c, w.patch, true);
      tag(c, listId, w);
      return c;
    });
    const responses = await this.call('CreateItem', (s) =>
      s.CreateItems(contacts, new FolderId(folderId), null as never, null as never),
    );
    responses.Responses.forEach((res, i) => {
      const w = writes[i];
      if (res.Result === ServiceResult.Success)
        results.set(w, {
          write: w,
          outcome: 'done',
          itemId: contacts[i].Id.UniqueId,
          changeKey: contacts[i].Id.ChangeKey,
        });
      else results.set(w, this.failedWrite(w, res));
    });
  }

  private async update(
    listId: string,
    writes: Extract<ContactWrite, { kind: 'update' }>[],
    results: Map<ContactWrite, WriteResult>,
  ): Promise<void> {
    const { handle } = await this.connect();
    const contacts = writes.map((w) => {
      const c = existingContact(handle.service, w.itemId);
      applyContactPatch(c, w.patch, false);
      tag(c, listId, w);
      return c;
    });
    const responses = await this.call('UpdateItem', (s) =>
      s.UpdateItems(
        contacts,
        null as never,
        ConflictResolutionMode.AlwaysOverwrite,
        null as never,
        null as never,
      ),
    );
    responses.Responses.forEach((res, i) => {
      const w = writes[i];
      if (res.Result === ServiceResult.Success) {
        const item = (res as unknown as { ReturnedItem?: Item }).ReturnedItem;
        const id = tryRead(() => item?.Id) ?? tryRead(() => contacts[i].Id);
        results.set(w, {
          write: w,
          outcome: 'done',
          itemId: id?.UniqueId ?? w.itemId,
          changeKey: id?.ChangeKey,
        });
      } else results.set(w, this.failedWrite(w, res));
    });
  }

  private async remove(
    writes: Extract<ContactWrite, { kind: 'delete' }>[],
    results: Map<ContactWrite, WriteResult>,
  ): Promise<void> {
    const responses = await this.call('DeleteItem', (s) =>
      s.DeleteItems(
        writes.map((w) => new ItemId(w.itemId)),
        DeleteMode.MoveToDeletedItems,
        null as never,
        null as never,
      ),
    );
    responses.Responses.forEach((res, i) => {
      const w = writes[i];
      results.set(
        w,
        res.Result === ServiceResult.Success
          ? { write: w, outcome: 'done' }
          : this.failedWrite(w, res),
      );
    });
  }

  /** A per-item error: gone (already deleted), a mailbox-wide failure (thrown), or failed. */
  private failedWrite(write: ContactWrite, res: ServiceResponse): WriteResult {
    const f = this.itemFailure(res);
    if (write.kind !== 'create' && f.responseCode && ITEM_GONE.has(f.responseCode))
      return { write, outcome: 'gone' };
    const mailboxWide = this.mailboxWide(f);
    if (mailboxWide) throw mailboxWide;
    return {
      write,
      outcome: 'failed',
      error: { status: 200, code: f.responseCode, message: f.message },
    };
  }

  private itemFailure(res: ServiceResponse): EwsFailure {
    return ewsFailureOf({
      Response: res,
      ErrorCode: res.ErrorCode,
      Message: res.ErrorMessage,
      ErrorDetails: res.ErrorDetails,
    });
  }

  /** Item-level codes that concern the whole mailbox or connection. */
  private mailboxWide(f: EwsFailure): MicrosoftError | undefined {
    if (
      !f.responseCode ||
      !/^(ErrorNonExistentMailbox|ErrorImpersonateUserDenied|ErrorImpersonationDenied|ErrorAccessDenied|ErrorServerBusy|ErrorMailboxMoveInProgress)$/.test(
        f.responseCode,
      )
    )
      return undefined;
    return this.mapped(f);
  }

  private async childFolders(): Promise<Array<{ id: string; name: string }>> {
    const out: Array<{ id: string; name: string }> = [];
    for (let offset = 0; ;) {
      const view = new FolderView(100, offset, OffsetBasePoint.Beginning);
      view.PropertySet = new PropertySet(BasePropertySet.IdOnly, [FolderSchema.DisplayName]);
      view.Traversal = FolderTraversal.Shallow;
      const res = await this.call('FindFolder', (s) =>
        s.FindFolders(new FolderId(WellKnownFolderName.Contacts), view),
      );
      for (const f of res.Folders) out.push({ id: f.Id.UniqueId, name: f.DisplayName ?? '' });
      if (!res.MoreAvailable || res.Folders.length === 0) return out;
      offset = res.NextPageOffset ?? offset + res.Folders.length;
    }
  }

  /** FindItem in a folder, page by page (1,000 a page), optionally restricted. */
  private async *findItems(
    folderId: string,
    filter: SearchFilter | undefined,
    props: PropertySet,
  ): AsyncIterable<Item[]> {
    for (let offset = 0; ;) {
      const view = new ItemView(PAGE, offset, OffsetBasePoint.Beginning);
      view.PropertySet = props;
      const res = await this.call(
        'FindItem',
        (s) =>
          filter
            ? s.FindItems(new FolderId(folderId), filter, view)
            : s.FindItems(new FolderId(folderId), view),
        { folder: folderId },
      );
      yield res.Items;
      if (!res.MoreAvailable || res.Items.length === 0) return;
      offset = res.NextPageOffset ?? offset + res.Items.length;
    }
  }

  private connect(): Promise<{ handle: EwsServiceHandle; address: string; account: string }> {
    this.connection ??= this.ctx.connect().then((c) => (this.connected = c));
    return this.connection;
  }

  /**
   * One SOAP operation on the mailbox: waits out a back-off Exchange asked for (or throws
   * THROTTLED when it is longer than a job sits out), retries ErrorServerBusy after its
   * BackOffMilliseconds, and maps failures to coded errors.
   */
  private async call<T>(
    name: string,
    op: (service: ExchangeService) => Promise<T>,
    scope: { folder?: string } = {},
  ): Promise<T> {
    const { handle, address, account } = await this.connect();
    const key = `${account}|${address}`;
    for (let attempt = 1; ; attempt++) {
      const wait = this.ctx.pace.waitFor(key);
      if (wait > this.ctx.maxInlineWaitMs)
        throw new MicrosoftError(
          'THROTTLED',
          `Exchange asked us to wait ${Math.ceil(wait / 1000)} s (ErrorServerBusy)`,
          {
            ewsCode: 'ErrorServerBusy',
            retryAfterMs: wait,
          },
        );
      if (wait > 0) await this.ctx.sleep(wait);
      this.operations++;
      try {
        return await op(handle.service);
      } catch (error) {
        const f = ewsFailureOf(error);
        if (f.responseCode === 'ErrorServerBusy') {
          this.ctx.pace.backOff(key, Math.max(f.backOffMs ?? 1_000, 1));
          if (attempt < 5) {
            this.retries++;
            continue;
          }
        }
        if (scope.folder && f.responseCode && FOLDER_GONE.has(f.responseCode))
          throw new MicrosoftError(
            'CONTAINER_NOT_FOUND',
            `contact folder ${scope.folder} not found (${f.responseCode})`,
            {
              ewsCode: f.responseCode,
            },
          );
        throw this.mapped(f, name);
      }
    }
  }

  private mapped(f: EwsFailure, operation?: string): MicrosoftError {
    const address = this.connected?.address ?? 'the mailbox';
    return (
      ewsMailboxError(f, address) ??
      new MicrosoftError(
        'EWS_REQUEST_REJECTED',
        `${operation ?? 'EWS'} failed for ${address}: ${f.responseCode ?? ''} ${f.message}`.trim(),
        {
          ...(f.responseCode ? { ewsCode: f.responseCode } : {}),
          ...(f.httpStatus ? { status: f.httpStatus } : {}),
        },
      )
    );
  }
}

function tag(
  contact: Contact,
  listId: string,
  w: Extract<ContactWrite, { kind: 'create' | 'update' }>,
): void {
  contact.SetExtendedProperty(EWS_TAGS.listId, listId);
  contact.SetExtendedProperty(EWS_TAGS.sourceKey, w.sourceKey);
  contact.SetExtendedProperty(EWS_TAGS.contentHash, w.contentHash);
  if (w.fieldHashes !== undefined) contact.SetExtendedProperty(EWS_TAGS.fieldHashes, w.fieldHashes);
}

function tryRead<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

/**
 * A Contact standing for an existing item by id, without reading it first (one UpdateItem, no
 * GetItem): the id is loaded into the property bag as a response would load it, so only the
 * fields set afterwards are sent.
 */
function existingContact(service: ExchangeService, itemId: string): Contact {
  const contact = new Contact(service);
  const bag = (
    contact as unknown as {
      PropertyBag: {
        loading: boolean;
        _setItem(d: unknown, v: unknown): void;
        ClearChangeLog(): void;
      };
    }
  ).PropertyBag;
  bag.loading = true;
  bag._setItem(ItemSchema.Id, new ItemId(itemId));
  bag.loading = false;
  bag.ClearChangeLog();
  return contact;
}
