import type * as MG from '@microsoft/microsoft-graph-types';
import {
  type ChangeSet,
  type ContactPatch,
  type ContainerSpec,
  type ItemPhotos,
  type ItemWrite,
  type ItemWriteResult,
  type MailboxContactValues,
  type MailboxPurpose,
  type MailboxSession,
  type PhotoContentType,
  type StoredItem,
} from '@app/domain';
import { errorCode, errorMessage, type GraphGateway } from '../graph/graph-gateway';
import { readGraphDelta } from '../graph/graph-delta';
import { graphPages } from '../graph/graph-pages';
import type { GraphCall, GraphResponse, TenantRef } from '../graph/graph-types';
import type { MailboxGate } from '../graph/mailbox-gate';
import { MicrosoftError } from '../microsoft-error';
import {
  assertContainerFound,
  assertMailboxOk,
  probeMailboxPurpose,
  throwIfStillThrottled,
  writeResultOf,
} from './graph-mailbox-checks';
import { CONTACT_SELECT, fromGraphContact, toGraphContact } from './graph-contact-body';
import { EXPAND_TAGS, filterByList, readTags, tagProperties } from './ownership-tags';

type ContactWrite = ItemWrite<ContactPatch>;
type WriteResult = ItemWriteResult<ContactPatch>;
type ContactItem = StoredItem<MailboxContactValues>;

const DELTA_PAGE = 'odata.maxpagesize=1000';

/**
 * The mailbox port for contacts over Graph, for one job on one mailbox: where our folder is,
 * what changed (the folder's delta), which items are ours (our extended-property tags), and
 * the writes through `$batch` with one batch in flight, paced by the job's MailboxGate — each
 * step as few requests as Graph allows.
 */
export class GraphContactsSession implements MailboxSession<ContactPatch, MailboxContactValues> {
  readonly changeTracking = 'feed';
  /**
   * Photos: PUT only. Graph v1.0 documents no delete for an Outlook contact's photo ("The delete
   * operation supports only user or group photos, but not Outlook contact nor Teams photos",
   * learn.microsoft.com/graph/api/profilephoto-delete), so `remove` is absent.
   */
  readonly photos: ItemPhotos = {
    put: (itemId, photo, contentType) => this.putPhoto(itemId, photo, contentType),
  };

  constructor(
    private readonly graph: GraphGateway,
    private readonly tenant: TenantRef,
    private readonly mailboxId: string,
    private readonly gate: MailboxGate,
  ) {}

  get retries(): number {
    return this.gate.retries;
  }

  /** What kind of mailbox this is; throws MAILBOX_NOT_FOUND / MAILBOX_ON_PREMISES. */
  async probe(): Promise<MailboxPurpose> {
    return probeMailboxPurpose(this.graph, this.tenant, this.mailboxId, this.gate);
  }

  /** The default Contacts folder (the one phones sync), or a top-level folder of that name. */
  async ensureContainer(
    spec: ContainerSpec,
    options: { create: boolean },
  ): Promise<string | undefined> {
    if (spec.kind === 'default') {
      const res = await this.get<{ id: string }>(
        `/users/${this.mailboxId}/contactFolders/contacts?$select=id`,
      );
      assertMailboxOk(res, this.mailboxId);
      return res.body.id;
    }
    const wanted = spec.name.toLowerCase();
    for await (const folders of this.pages<Pick<MG.ContactFolder, 'id' | 'displayName'>>(
      `/users/${this.mailboxId}/contactFolders?$select=id,displayName&$top=100`,
    )) {
      const found = folders.find((f) => f.displayName?.toLowerCase() === wanted);
      if (found) return found.id;
    }
    if (!options.create) return undefined;
    const created = await this.graph.request<{ id: string }>(
      this.tenant,
      {
        method: 'POST',
        path: `/users/${this.mailboxId}/contactFolders`,
        body: { displayName: spec.name },
      },
      this.gate,
    );
    assertMailboxOk(created, this.mailboxId);
    return created.body.id;
  }

  /**
   * A dedicated folder's current name while it is a folder of the default Contacts folder (where
   * `ensureContainer` creates it); null when it is not: deleted for good, or deleted by the user
   * — Outlook and Graph's DELETE move a folder to Deleted Items, where its id still resolves
   * (https://learn.microsoft.com/graph/api/contactfolder-delete,
   * https://learn.microsoft.com/graph/api/contactfolder-permanentdelete). One request.
   */
  async inspectContainer(containerId: string): Promise<{ name: string } | null> {
    for await (const folders of this.pages<Pick<MG.ContactFolder, 'id' | 'displayName'>>(
      `/users/${this.mailboxId}/contactFolders?$select=id,displayName&$top=100`,
    )) {
      const found = folders.find((f) => f.id === containerId);
      if (found) return { name: found.displayName ?? '' };
    }
    return null;
  }

  /** Renames a folder (PATCH of its displayName): its contacts and their ids stay as they are. */
  async renameContainer(containerId: string, name: string): Promise<'done' | 'conflict' | 'gone'> {
    const res = await this.graph.request(
      this.tenant,
      {
        method: 'PATCH',
        path: `/users/${this.mailboxId}/contactFolders/${containerId}`,
        body: { displayName: name },
      },
      this.gate,
    );
    if (res.status === 409 || errorCode(res.body) === 'ErrorFolderExists') return 'conflict';
    if (res.status === 404 && errorCode(res.body) === 'ErrorItemNotFound') return 'gone';
    assertMailboxOk(res, this.mailboxId);
    return 'done';
  }

  /**
   * Changes in the folder since `token` (a delta link; all items when undefined), and the link
   * to use next time; 'expired' when Graph no longer knows the link (410), so the caller rebuilds.
   */
  async readChanges(
    containerId: string,
    token: string | undefined,
  ): Promise<ChangeSet | 'expired'> {
    const read = await readGraphDelta<{ id: string; changeKey?: string; '@removed'?: unknown }>(
      this.graph,
      this.tenant,
      token ??
        `/users/${this.mailboxId}/contactFolders/${containerId}/contacts/delta?$select=id,changeKey`,
      {
        isExpired: (res) =>
          res.status === 410 ||
          (res.status === 400 && /syncState/i.test(errorCode(res.body) ?? '')),
        check: (res) => {
          assertContainerFound(res, containerId);
          assertMailboxOk(res, this.mailboxId);
        },
        headers: { Prefer: DELTA_PAGE },
        gate: this.gate,
      },
    );
    if (read === 'expired') return 'expired';
    return {
      changes: read.items.map((item) => ({
        id: item.id,
        changeKey: item.changeKey,
        removed: item['@removed'] !== undefined,
      })),
      token: read.deltaLink,
    };
  }

  /** Every item of the list in the folder, by its ListId tag, page by page. */
  async *listTagged(containerId: string, listId: string): AsyncIterable<ContactItem[]> {
    for await (const items of graphPages<
      Record<string, unknown> & { id: string; changeKey?: string }
    >(
      this.graph,
      this.tenant,
      `/users/${this.mailboxId}/contactFolders/${containerId}/contacts?$select=id,changeKey&$top=1000` +
        `&$filter=${encodeURIComponent(filterByList(listId))}&$expand=${encodeURIComponent(EXPAND_TAGS)}`,
      (res) => {
        assertContainerFound(res, containerId);
        assertMailboxOk(res, this.mailboxId);
      },
      this.gate,
    )) {
      yield items.map((item) => ({
        itemId: item.id,
        changeKey: item.changeKey,
        ...readTags(item),
      }));
    }
  }

  /**
   * Reads items by id with our tags (and their field values when asked); an item that no
   * longer exists maps to null. Used for ids the delta reports that the cache does not know.
   */
  async readItems(
    itemIds: readonly string[],
    options: { withValues: boolean },
  ): Promise<Map<string, ContactItem | null>> {
    const found = new Map<string, ContactItem | null>();
    const select = options.withValues ? CONTACT_SELECT : 'id,changeKey';
    for (let start = 0; start < itemIds.length;) {
      const ids = itemIds.slice(start, start + this.gate.nextBatchSize());
      start += ids.length;
      const calls: GraphCall[] = ids.map((id) => ({
        method: 'GET',
        path: `/users/${this.mailboxId}/contacts/${id}?$select=${select}&$expand=${encodeURIComponent(EXPAND_TAGS)}`,
      }));
      const outcome = await this.graph.batch(this.tenant, calls, this.gate);
      throwIfStillThrottled(outcome.throttledForMs);
      outcome.responses.forEach((res, i) => {
        if (!res) return;
        if (res.status === 404) return found.set(ids[i], null);
        assertMailboxOk(res, this.mailboxId);
        const item = res.body as Record<string, unknown> & { id: string; changeKey?: string };
        found.set(ids[i], {
          itemId: item.id,
          changeKey: item.changeKey,
          ...readTags(item),
          ...(options.withValues ? { values: fromGraphContact(item) } : {}),
        });
      });
    }
    return found;
  }

  /**
   * Applies writes in $batch requests of the gate's size, one batch in flight for the mailbox.
   * `onBatch` gets each batch's results as soon as they are final, so progress survives a crash
   * or a reschedule; throws THROTTLED (after reporting what was done) when Graph asks for a
   * longer wait than a job should sit out.
   */
  async write(
    containerId: string,
    listId: string,
    writes: readonly ContactWrite[],
    onBatch: (results: WriteResult[]) => Promise<void>,
  ): Promise<void> {
    for (let start = 0; start < writes.length;) {
      const chunk = writes.slice(start, start + this.gate.nextBatchSize());
      const calls = chunk.map((w) => this.callFor(containerId, listId, w));
      const outcome = await this.graph.batch(this.tenant, calls, this.gate);
      const results: WriteResult[] = [];
      let done = 0;
      for (const [i, res] of outcome.responses.entries()) {
        if (!res) break; // still throttled: this and later writes are retried after the wait
        done = i + 1;
        results.push(this.resultOf(chunk[i], res));
      }
      await onBatch(results);
      start += done;
      throwIfStillThrottled(outcome.throttledForMs);
    }
  }

  /** Sets a contact's photo, sent as what its bytes are. A missing item is not an error: the user deleted it. */
  private async putPhoto(
    itemId: string,
    photo: Uint8Array,
    contentType: PhotoContentType,
  ): Promise<'done' | 'gone'> {
    const res = await this.graph.request(
      this.tenant,
      {
        method: 'PUT',
        path: `/users/${this.mailboxId}/contacts/${itemId}/photo/$value`,
        body: Buffer.from(photo.buffer, photo.byteOffset, photo.byteLength),
        headers: { 'Content-Type': contentType },
      },
      this.gate,
    );
    if (res.status === 404) return 'gone';
    assertMailboxOk(res, this.mailboxId, true);
    if (res.status >= 300)
      throw new MicrosoftError(
        'GRAPH_ERROR',
        `photo upload failed with ${res.status}: ${errorMessage(res.body)}`,
        { status: res.status },
      );
    return 'done';
  }

  private get<T>(path: string): Promise<GraphResponse<T>> {
    return this.graph.request<T>(this.tenant, { method: 'GET', path }, this.gate);
  }

  private pages<T>(firstPath: string): AsyncIterable<T[]> {
    return graphPages<T>(
      this.graph,
      this.tenant,
      firstPath,
      (res) => assertMailboxOk(res, this.mailboxId),
      this.gate,
    );
  }

  private callFor(folderId: string, listId: string, write: ContactWrite): GraphCall {
    switch (write.kind) {
      case 'create':
        return {
          method: 'POST',
          path: `/users/${this.mailboxId}/contactFolders/${folderId}/contacts`,
          body: {
            ...toGraphContact(write.patch),
            singleValueExtendedProperties: tagsOf(listId, write),
          },
        };
      case 'update':
        return {
          method: 'PATCH',
          path: `/users/${this.mailboxId}/contacts/${write.itemId}`,
          body: {
            ...toGraphContact(write.patch),
            singleValueExtendedProperties: tagsOf(listId, write),
          },
        };
      case 'delete':
        return { method: 'DELETE', path: `/users/${this.mailboxId}/contacts/${write.itemId}` };
    }
  }

  private resultOf(write: ContactWrite, res: GraphResponse): WriteResult {
    return writeResultOf(write, res, this.mailboxId);
  }
}

function tagsOf(
  listId: string,
  write: Extract<ContactWrite, { kind: 'create' | 'update' }>,
): Array<{ id: string; value: string }> {
  return tagProperties({
    listId,
    sourceKey: write.sourceKey,
    contentHash: write.contentHash,
    fieldHashes: write.fieldHashes,
  });
}
