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
  ContactsFolder,
  DeleteMode,
  FolderId,
  ItemId,
  type ExchangeService,
  PropertySet,
  ServiceResult,
  WellKnownFolderName,
  type Item,
} from 'ews-javascript-api';
import { createHash } from 'node:crypto';
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

const TOKEN_PREFIX = 'ews-fp:';

/**
 * The mailbox port for contacts over EWS (Exchange Server on-premises), for one job on one
 * mailbox, impersonated with its SMTP address: folder ensure (FindFolder/CreateFolder), our
 * items found by FindItem restricted to our extended property (paged), batched
 * CreateItem/UpdateItem/DeleteItem with one result per item, and no operation on the mailbox
 * before a BackOffMilliseconds Exchange asked for has passed. Change detection: the folder's
 * fingerprint (ids and change keys from one FindItem) — unchanged folder, no further request;
 * changed, the engine lists our tagged items (`changeTracking: 'none'`).
 */
export class EwsContactsSession
  extends EwsMailboxSession<ContactPatch, MailboxContactValues>
  implements MailboxSession<ContactPatch, MailboxContactValues>
{
  readonly changeTracking = 'none';
  /** The folder listings behind the tokens this session issued (to diff against them). */
  private readonly seen = new Map<string, Map<string, string>>();
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
   * The folder's fingerprint (a hash of its items' ids and change keys, one FindItem per 1,000
   * items): undefined token → every item and a fresh token; the same fingerprint → no changes;
   * a token this session issued → the exact difference (so the engine moves its token past its
   * own writes); another → 'expired', and the engine lists our tagged items.
   */
  async readChanges(
    containerId: string,
    token: string | undefined,
  ): Promise<ChangeSet | 'expired'> {
    if (token !== undefined && !token.startsWith(TOKEN_PREFIX)) return 'expired';
    const current = new Map<string, string>();
    for await (const page of this.findItems(
      containerId,
      undefined,
      new PropertySet(BasePropertySet.IdOnly),
    ))
      for (const item of page) current.set(item.Id.UniqueId, item.Id.ChangeKey ?? '');
    const hash = createHash('sha256');
    for (const id of [...current.keys()].sort()) hash.update(`${id}\u0000${current.get(id)}\u0001`);
    const fresh = `${TOKEN_PREFIX}${hash.digest('base64url')}`;
    const before = token === undefined ? undefined : this.seen.get(token);
    this.seen.set(fresh, current);
    if (token === undefined)
      return {
        changes: [...current].map(([id, changeKey]) => ({ id, changeKey, removed: false })),
        token: fresh,
      };
    if (token === fresh) return { changes: [], token };
    // A token this session issued (e.g. before its own writes): the exact difference.
    if (!before) return 'expired';
    const changes: ChangeSet['changes'] = [];
    for (const [id, changeKey] of current)
      if (before.get(id) !== changeKey) changes.push({ id, changeKey, removed: false });
    for (const id of before.keys()) if (!current.has(id)) changes.push({ id, removed: true });
    return { changes, token: fresh };
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
