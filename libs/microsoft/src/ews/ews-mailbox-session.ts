import type {
  ContainerSpec,
  ItemWrite,
  ItemWriteResult,
  MailboxPurpose,
  StoredItem,
} from '@app/domain';
import {
  BasePropertySet,
  type ExchangeService,
  type Folder,
  Folder as FolderClass,
  FolderId,
  FolderSchema,
  FolderTraversal,
  FolderView,
  type Item,
  ItemId,
  ItemSchema,
  ItemView,
  OffsetBasePoint,
  PropertySet,
  SearchFilter,
  ServiceResult,
  type ServiceResponse,
  type PropertyDefinitionBase,
  type WellKnownFolderName,
} from 'ews-javascript-api';
import { MicrosoftError } from '../microsoft-error';
import { EWS_ITEM_GONE, ewsItemOutcome } from './ews-item-outcome';
import { ewsFailureOf, type EwsFailure } from './ews-failure';
import { ewsMailboxError } from './ews-mailbox-error';
import { EWS_TAG_LIST, EWS_TAGS, readEwsTags } from './ews-ownership-tags';
import type { EwsPace } from './ews-pace';
import type { EwsServiceHandle } from './ews-service-factory';

/** FindItem returns at most 1,000 items a page by default (EWSFindCountLimit). */
export const EWS_PAGE = 1000;
/** Writes per CreateItem/UpdateItem/DeleteItem call. */
export const EWS_WRITE_BATCH = 100;
const FOLDER_GONE = new Set([
  'ErrorFolderNotFound',
  'ErrorItemNotFound',
  'ErrorInvalidIdMalformed',
]);
export { EWS_ITEM_GONE };

/** What a session needs that the store resolves per tenant and mailbox. */
export interface EwsSessionContext {
  /** The ExchangeService for the tenant's connection, impersonating the mailbox. */
  connect(): Promise<EwsConnected>;
  pace: EwsPace;
  /** A wait longer than this is not sat out: THROTTLED, the job is rescheduled. */
  maxInlineWaitMs: number;
  sleep(ms: number): Promise<void>;
}

export interface EwsConnected {
  handle: EwsServiceHandle;
  address: string;
  account: string;
}

/** Where an item kind's containers live in the mailbox. */
export interface EwsFolderKind {
  /** The default container (Contacts, Calendar). */
  defaultFolder: WellKnownFolderName;
  /** The folder a named container of ours is a child of. */
  parentFolder: WellKnownFolderName;
  /** Whether a child folder found there is of this kind (calendars sit beside other folders). */
  isKind(folder: Folder): boolean;
  /** A new, unsaved folder of this kind. */
  newFolder(service: ExchangeService): Folder;
  /** How errors name a container ("contact folder", "calendar"). */
  noun: string;
}

type Create<P> = Extract<ItemWrite<P>, { kind: 'create' }>;
type Update<P> = Extract<ItemWrite<P>, { kind: 'update' }>;
type Delete<P> = Extract<ItemWrite<P>, { kind: 'delete' }>;

/**
 * What the EWS adapters (contacts, calendar items) share for one job on one mailbox,
 * impersonated with its SMTP address: container ensure (FindFolder/CreateFolder), inspect and
 * rename, our items found by FindItem restricted to our extended property (paged), reads by id,
 * batched CreateItem/UpdateItem/DeleteItem with one result per item, and no operation on the
 * mailbox before a BackOffMilliseconds Exchange asked for has passed. A kind brings its item
 * bodies and the calls' kind-specific attributes.
 */
export abstract class EwsMailboxSession<TPatch, TValues> {
  retries = 0;
  /** SOAP operations sent (the cost unit on EWS). */
  operations = 0;
  private connection?: Promise<EwsConnected>;
  protected connected?: EwsConnected;

  constructor(
    protected readonly ctx: EwsSessionContext,
    private readonly folders: EwsFolderKind,
  ) {}

  /** Properties a listing reads beside our tags (for the preview's values). */
  protected abstract readonly listedProperties: PropertyDefinitionBase[];
  /** The values an item read with values (or listed) shows. */
  protected abstract valuesOf(item: Item, full: boolean): TValues | undefined;
  protected abstract createItems(
    containerId: string,
    listId: string,
    writes: Create<TPatch>[],
    results: Map<ItemWrite<TPatch>, ItemWriteResult<TPatch>>,
  ): Promise<void>;
  protected abstract updateItems(
    listId: string,
    writes: Update<TPatch>[],
    results: Map<ItemWrite<TPatch>, ItemWriteResult<TPatch>>,
  ): Promise<void>;
  /** The DeleteItem call of this kind (calendar items say whom to notify: nobody). */
  protected abstract deleteCall(
    service: ExchangeService,
    ids: ItemId[],
  ): ReturnType<ExchangeService['DeleteItems']>;

  /** NTLM handshake requests sent beside the SOAP operations. */
  get handshakes(): number {
    return this.connected?.handle.handshakes() ?? 0;
  }

  /** EWS has no recipient type for the mailbox itself: reaching its default folder proves a user mailbox. */
  async probe(): Promise<MailboxPurpose> {
    await this.bindDefault();
    return 'user';
  }

  async ensureContainer(
    spec: ContainerSpec,
    options: { create: boolean },
  ): Promise<string | undefined> {
    if (spec.kind === 'default') return (await this.bindDefault()).Id.UniqueId;
    const wanted = spec.name.toLowerCase();
    const found = (await this.childFolders()).find((f) => f.name.toLowerCase() === wanted);
    if (found) return found.id;
    if (!options.create) return undefined;
    const folder = await this.call('CreateFolder', async (s) => {
      const f = this.folders.newFolder(s);
      f.DisplayName = spec.name;
      await f.Save(new FolderId(this.folders.parentFolder));
      return f;
    });
    return folder.Id.UniqueId;
  }

  /** A container of ours while it is where ensureContainer puts it; null once deleted or moved away. */
  async inspectContainer(containerId: string): Promise<{ name: string } | null> {
    const found = (await this.childFolders()).find((f) => f.id === containerId);
    return found ? { name: found.name } : null;
  }

  async renameContainer(containerId: string, name: string): Promise<'done' | 'conflict' | 'gone'> {
    try {
      const folder = await this.call('GetFolder', (s) =>
        FolderClass.Bind(
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

  async *listTagged(containerId: string, listId: string): AsyncIterable<StoredItem<TValues>[]> {
    for await (const page of this.findItems(
      containerId,
      new SearchFilter.IsEqualTo(EWS_TAGS.listId, listId),
      new PropertySet(BasePropertySet.IdOnly, [...this.listedProperties, ...EWS_TAG_LIST]),
    )) {
      yield page.map((item) => {
        const values = this.valuesOf(item, false);
        return {
          itemId: item.Id.UniqueId,
          changeKey: item.Id.ChangeKey,
          ...readEwsTags(item),
          ...(values === undefined ? {} : { values }),
        };
      });
    }
  }

  async readItems(
    itemIds: readonly string[],
    options: { withValues: boolean },
  ): Promise<Map<string, StoredItem<TValues> | null>> {
    const found = new Map<string, StoredItem<TValues> | null>();
    const props = new PropertySet(
      options.withValues ? BasePropertySet.FirstClassProperties : BasePropertySet.IdOnly,
      EWS_TAG_LIST,
    );
    for (let start = 0; start < itemIds.length; start += EWS_WRITE_BATCH) {
      const ids = itemIds.slice(start, start + EWS_WRITE_BATCH);
      const responses = await this.call('GetItem', (s) =>
        s.BindToItems(
          ids.map((id) => new ItemId(id)),
          props,
        ),
      );
      responses.Responses.forEach((res, i) => {
        if (res.Result !== ServiceResult.Success) {
          const f = this.itemFailure(res);
          if (f.responseCode && EWS_ITEM_GONE.has(f.responseCode)) return found.set(ids[i], null);
          throw this.mapped(f);
        }
        const item = res.Item;
        const values = options.withValues ? this.valuesOf(item, true) : undefined;
        found.set(ids[i], {
          itemId: item.Id.UniqueId,
          changeKey: item.Id.ChangeKey,
          ...readEwsTags(item),
          ...(values === undefined ? {} : { values }),
        });
      });
    }
    return found;
  }

  async write(
    containerId: string,
    listId: string,
    writes: readonly ItemWrite<TPatch>[],
    onBatch: (results: ItemWriteResult<TPatch>[]) => Promise<void>,
  ): Promise<void> {
    for (let start = 0; start < writes.length; start += EWS_WRITE_BATCH) {
      const chunk = writes.slice(start, start + EWS_WRITE_BATCH);
      const results = new Map<ItemWrite<TPatch>, ItemWriteResult<TPatch>>();
      const creates = chunk.filter((w): w is Create<TPatch> => w.kind === 'create');
      const updates = chunk.filter((w): w is Update<TPatch> => w.kind === 'update');
      const deletes = chunk.filter((w): w is Delete<TPatch> => w.kind === 'delete');
      try {
        if (creates.length) await this.createItems(containerId, listId, creates, results);
        if (updates.length) await this.updateItems(listId, updates, results);
        if (deletes.length) await this.deleteItems(deletes, results);
      } finally {
        // What is final is reported before an error propagates: progress survives.
        const known = chunk
          .map((w) => results.get(w))
          .filter((r): r is ItemWriteResult<TPatch> => !!r);
        if (known.length) await onBatch(known);
      }
    }
  }

  /**
   * Closes the connection's sockets (its agent: the signed-in NTLM socket and any other), once
   * made when it is being made; nothing to do when the session never connected.
   */
  async close(): Promise<void> {
    const connected = await this.connection?.catch(() => undefined);
    connected?.handle.close();
  }

  private async deleteItems(
    writes: Delete<TPatch>[],
    results: Map<ItemWrite<TPatch>, ItemWriteResult<TPatch>>,
  ): Promise<void> {
    const responses = await this.call('DeleteItem', (s) =>
      this.deleteCall(
        s,
        writes.map((w) => new ItemId(w.itemId)),
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
  protected failedWrite(write: ItemWrite<TPatch>, res: ServiceResponse): ItemWriteResult<TPatch> {
    const o = ewsItemOutcome(write.kind, this.itemFailure(res), this.connected?.address);
    if (o.outcome === 'mailbox') throw o.error;
    return o.outcome === 'gone'
      ? { write, outcome: 'gone' }
      : { write, outcome: 'failed', error: o.error };
  }

  protected itemFailure(res: ServiceResponse): EwsFailure {
    return ewsFailureOf({
      Response: res,
      ErrorCode: res.ErrorCode,
      Message: res.ErrorMessage,
      ErrorDetails: res.ErrorDetails,
    });
  }

  /** Item-level codes that concern the whole mailbox or connection. */
  protected mailboxWide(f: EwsFailure): MicrosoftError | undefined {
    const o = ewsItemOutcome('create', f, this.connected?.address);
    return o.outcome === 'mailbox' ? o.error : undefined;
  }

  private bindDefault(): Promise<Folder> {
    return this.call('GetFolder', (s) =>
      FolderClass.Bind(
        s,
        new FolderId(this.folders.defaultFolder),
        new PropertySet(BasePropertySet.IdOnly),
      ),
    );
  }

  private async childFolders(): Promise<Array<{ id: string; name: string }>> {
    const out: Array<{ id: string; name: string }> = [];
    for (let offset = 0; ;) {
      const view = new FolderView(100, offset, OffsetBasePoint.Beginning);
      view.PropertySet = new PropertySet(BasePropertySet.IdOnly, [FolderSchema.DisplayName]);
      view.Traversal = FolderTraversal.Shallow;
      const res = await this.call('FindFolder', (s) =>
        s.FindFolders(new FolderId(this.folders.parentFolder), view),
      );
      for (const f of res.Folders)
        if (this.folders.isKind(f)) out.push({ id: f.Id.UniqueId, name: f.DisplayName ?? '' });
      if (!res.MoreAvailable || res.Folders.length === 0) return out;
      offset = res.NextPageOffset ?? offset + res.Folders.length;
    }
  }

  /** FindItem in a folder, page by page (1,000 a page), optionally restricted. */
  protected async *findItems(
    folderId: string,
    filter: SearchFilter | undefined,
    props: PropertySet,
  ): AsyncIterable<Item[]> {
    for (let offset = 0; ;) {
      const view = new ItemView(EWS_PAGE, offset, OffsetBasePoint.Beginning);
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

  protected connect(): Promise<EwsConnected> {
    this.connection ??= this.ctx.connect().then((c) => (this.connected = c));
    return this.connection;
  }

  /**
   * One SOAP operation on the mailbox: waits out a back-off Exchange asked for (or throws
   * THROTTLED when it is longer than a job sits out), retries ErrorServerBusy after its
   * BackOffMilliseconds, and maps failures to coded errors.
   */
  protected async call<T>(
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
            `${this.folders.noun} ${scope.folder} not found (${f.responseCode})`,
            {
              ewsCode: f.responseCode,
            },
          );
        throw this.mapped(f, name);
      }
    }
  }

  protected mapped(f: EwsFailure, operation?: string): MicrosoftError {
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

/** Our ownership tags on an item we create or update. */
export function tagEwsItem(
  item: Item,
  listId: string,
  w: { sourceKey: string; contentHash: string; fieldHashes?: string },
  contentHash = w.contentHash,
): void {
  item.SetExtendedProperty(EWS_TAGS.listId, listId);
  item.SetExtendedProperty(EWS_TAGS.sourceKey, w.sourceKey);
  item.SetExtendedProperty(EWS_TAGS.contentHash, contentHash);
  if (w.fieldHashes !== undefined) item.SetExtendedProperty(EWS_TAGS.fieldHashes, w.fieldHashes);
}

/** Reads a property the library may not have loaded (it throws then). */
export function tryRead<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

/**
 * An item standing for an existing one by id, without reading it first (one UpdateItem, no
 * GetItem): the id is loaded into the property bag as a response would load it, so only the
 * fields set afterwards are sent.
 */
export function existingItem<T extends Item>(item: T, itemId: string): T {
  const bag = (
    item as unknown as {
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
  return item;
}

/** The id and change key a CreateItem/UpdateItem answered for an item (or the id it was sent with). */
export function writtenId(
  res: ServiceResponse,
  sent: Item,
  fallbackId?: string,
): { itemId?: string; changeKey?: string } {
  const returned = (res as unknown as { ReturnedItem?: Item }).ReturnedItem;
  const id = tryRead(() => returned?.Id) ?? tryRead(() => sent.Id);
  return { itemId: id?.UniqueId ?? fallbackId, changeKey: id?.ChangeKey };
}
