import {
  type ChangeSet,
  type ContactPatch,
  type ItemWrite,
  type ItemWriteResult,
  type MailboxContactValues,
  type MailboxSession,
} from '@app/domain';
import {
  BasePropertySet,
  ConflictResolutionMode,
  Contact,
  ChangeType,
  ContactsFolder,
  DeleteMode,
  FolderId,
  ItemId,
  type ExchangeService,
  PropertySet,
  ServiceResult,
  SyncFolderItemsScope,
  WellKnownFolderName,
  type Item,
} from 'ews-javascript-api';
import { MicrosoftError } from '../microsoft-error';
import { applyContactPatch, contactValuesOf } from './ews-contact-fields';
import {
  EwsMailboxSession,
  existingItem,
  tagEwsItem,
  writtenId,
  type EwsSessionContext,
} from './ews-mailbox-session';

type ContactWrite = ItemWrite<ContactPatch>;
type WriteResult = ItemWriteResult<ContactPatch>;

/** SyncFolderItems' MaxChangesReturned may be 1 to 512 (MaxSyncChangesReturnedType). */
const SYNC_PAGE = 512;
/** Our change tokens are the folder's sync state; ADR 0044's fingerprints ('ews-fp:') are expired. */
const TOKEN_PREFIX = 'ews-sync:';

/**
 * The mailbox port for contacts over EWS (Exchange Server on-premises), for one job on one
 * mailbox, impersonated with its SMTP address: folder ensure (FindFolder/CreateFolder), our
 * items found by FindItem restricted to our extended property (paged), batched
 * CreateItem/UpdateItem/DeleteItem with one result per item, and no operation on the mailbox
 * before a BackOffMilliseconds Exchange asked for has passed. Change detection: the folder's
 * sync state (SyncFolderItems) is the engine's change token (ADR 0049).
 */
export class EwsContactsSession
  extends EwsMailboxSession<ContactPatch, MailboxContactValues>
  implements MailboxSession<ContactPatch, MailboxContactValues>
{
  readonly changeTracking = 'feed';
  protected readonly listedProperties = [];

  constructor(ctx: EwsSessionContext) {
    // Named folders of ours are children of the default Contacts folder.
    super(ctx, {
      defaultFolder: WellKnownFolderName.Contacts,
      parentFolder: WellKnownFolderName.Contacts,
      isKind: () => true,
      newFolder: (service) => new ContactsFolder(service),
      noun: 'contact folder',
    });
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

  protected valuesOf(item: Item, full: boolean): MailboxContactValues | undefined {
    return full && item instanceof Contact ? contactValuesOf(item) : undefined;
  }

  protected deleteCall(service: ExchangeService, ids: ItemId[]) {
    return service.DeleteItems(ids, DeleteMode.MoveToDeletedItems, null as never, null as never);
  }

  protected async createItems(
    folderId: string,
    listId: string,
    writes: Extract<ContactWrite, { kind: 'create' }>[],
    results: Map<ContactWrite, WriteResult>,
  ): Promise<void> {
    const { handle } = await this.connect();
    const contacts = writes.map((w) => {
      const c = new Contact(handle.service);
      applyContactPatch(c, w.patch, true);
      tagEwsItem(c, listId, w);
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

  protected async updateItems(
    listId: string,
    writes: Extract<ContactWrite, { kind: 'update' }>[],
    results: Map<ContactWrite, WriteResult>,
  ): Promise<void> {
    const { handle } = await this.connect();
    const contacts = writes.map((w) => {
      const c = existingItem(new Contact(handle.service), w.itemId);
      applyContactPatch(c, w.patch, false);
      tagEwsItem(c, listId, w);
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
      if (res.Result === ServiceResult.Success)
        results.set(w, { write: w, outcome: 'done', ...writtenId(res, contacts[i], w.itemId) });
      else results.set(w, this.failedWrite(w, res));
    });
  }
}
