import type { MailboxContactValues } from '@app/domain';
import { errorCode, errorMessage, type GraphGateway } from '../graph/graph-gateway';
import type { GraphCall, GraphResponse, TenantRef } from '../graph/graph-types';
import type { MailboxGate } from '../graph/mailbox-gate';
import { MicrosoftError } from '../microsoft-error';
import { CONTACT_SELECT, fromGraphContact } from './graph-contact-body';
import {
  EXPAND_TAGS,
  filterByList,
  readTags,
  tagProperties,
  type OwnershipTags,
} from './ownership-tags';

export type MailboxPurpose = 'user' | 'shared' | 'room' | 'equipment' | 'others' | 'unknown';

export interface ItemChange {
  id: string;
  changeKey?: string;
  removed: boolean;
}

export interface TaggedItem extends Partial<OwnershipTags> {
  itemId: string;
  changeKey?: string;
  values?: MailboxContactValues;
}

export type ContactWrite =
  | {
      kind: 'create';
      sourceKey: string;
      contentHash: string;
      fieldHashes?: string;
      body: Record<string, unknown>;
    }
  | {
      kind: 'update';
      sourceKey: string;
      contentHash: string;
      fieldHashes?: string;
      itemId: string;
      body: Record<string, unknown>;
    }
  | { kind: 'delete'; sourceKey: string; itemId: string };

export interface WriteResult {
  write: ContactWrite;
  /** done: applied; gone: the item no longer exists (deleted by the user); failed: see error. */
  outcome: 'done' | 'gone' | 'failed';
  itemId?: string;
  changeKey?: string;
  error?: { status: number; code?: string; message: string };
}

const DELTA_PAGE = 'odata.maxpagesize=1000';

/**
 * The Graph side of one mailbox's contacts: where our folder is, what changed, which items are
 * ours, and the writes — each step as few requests as Graph allows.
 */
export class GraphContactsMailbox {
  constructor(private readonly graph: GraphGateway) {}

  /** What kind of mailbox this is; throws MAILBOX_NOT_FOUND / MAILBOX_ON_PREMISES. */
  async probe(tenant: TenantRef, mailboxId: string, gate: MailboxGate): Promise<MailboxPurpose> {
    const res = await this.graph.request<{ userPurpose?: string }>(
      tenant,
      { method: 'GET', path: `/users/${mailboxId}/mailboxSettings?$select=userPurpose` },
      gate,
    );
    assertMailboxOk(res, mailboxId);
    const purpose = res.body.userPurpose ?? 'unknown';
    return (
      ['user', 'shared', 'room', 'equipment', 'others'].includes(purpose) ? purpose : 'unknown'
    ) as MailboxPurpose;
  }

  /** The default Contacts folder: the one phones sync. */
  async defaultFolderId(tenant: TenantRef, mailboxId: string, gate: MailboxGate): Promise<string> {
    const res = await this.graph.request<{ id: string }>(
      tenant,
      { method: 'GET', path: `/users/${mailboxId}/contactFolders/contacts?$select=id` },
      gate,
    );
    assertMailboxOk(res, mailboxId);
    return res.body.id;
  }

  /** A top-level folder of that name, created when missing (unless `create` is false: a preview). */
  async ensureFolder(
    tenant: TenantRef,
    mailboxId: string,
    displayName: string,
    gate: MailboxGate,
    options: { create: boolean } = { create: true },
  ): Promise<string | undefined> {
    let path: string | undefined =
      `/users/${mailboxId}/contactFolders?$select=id,displayName&$top=100`;
    while (path) {
      const res: GraphResponse<{
        value: Array<{ id: string; displayName: string }>;
        '@odata.nextLink'?: string;
      }> = await this.graph.request(tenant, { method: 'GET', path }, gate);
      assertMailboxOk(res, mailboxId);
      const found = res.body.value.find(
        (f) => f.displayName.toLowerCase() === displayName.toLowerCase(),
      );
      if (found) return found.id;
      path = res.body['@odata.nextLink'];
    }
    if (!options.create) return undefined;
    const created = await this.graph.request<{ id: string }>(
      tenant,
      { method: 'POST', path: `/users/${mailboxId}/contactFolders`, body: { displayName } },
      gate,
    );
    assertMailboxOk(created, mailboxId);
    return created.body.id;
  }

  /**
   * Changes in the folder since `deltaLink` (all items when undefined), and the link to use next
   * time; 'expired' when Graph no longer knows the link (410), so the caller rebuilds.
   */
  async readDelta(
    tenant: TenantRef,
    mailboxId: string,
    folderId: string,
    deltaLink: string | undefined,
    gate: MailboxGate,
  ): Promise<{ changes: ItemChange[]; deltaLink: string } | 'expired'> {
    const changes: ItemChange[] = [];
    let path =
      deltaLink ??
      `/users/${mailboxId}/contactFolders/${folderId}/contacts/delta?$select=id,changeKey`;
    for (;;) {
      const res = await this.graph.request<{
        value: Array<{ id: string; changeKey?: string; '@removed'?: unknown }>;
        '@odata.nextLink'?: string;
        '@odata.deltaLink'?: string;
      }>(tenant, { method: 'GET', path, headers: { Prefer: DELTA_PAGE } }, gate);
      if (
        res.status === 410 ||
        (res.status === 400 && /syncState/i.test(errorCode(res.body) ?? ''))
      )
        return 'expired';
      assertMailboxOk(res, mailboxId);
      for (const item of res.body.value) {
        changes.push({
          id: item.id,
          changeKey: item.changeKey,
          removed: item['@removed'] !== undefined,
        });
      }
      if (res.body['@odata.deltaLink']) return { changes, deltaLink: res.body['@odata.deltaLink'] };
      if (!res.body['@odata.nextLink'])
        throw new MicrosoftError('GRAPH_ERROR', 'delta page without next or delta link');
      path = res.body['@odata.nextLink'];
    }
  }

  /** Every item of the list in the folder, by its ListId tag, page by page. */
  async *listTagged(
    tenant: TenantRef,
    mailboxId: string,
    folderId: string,
    listId: string,
    gate: MailboxGate,
  ): AsyncIterable<TaggedItem[]> {
    let path: string | undefined =
      `/users/${mailboxId}/contactFolders/${folderId}/contacts?$select=id,changeKey&$top=1000` +
      `&$filter=${encodeURIComponent(filterByList(listId))}&$expand=${encodeURIComponent(EXPAND_TAGS)}`;
    while (path) {
      const res: GraphResponse<{
        value: Array<Record<string, unknown> & { id: string; changeKey?: string }>;
        '@odata.nextLink'?: string;
      }> = await this.graph.request(tenant, { method: 'GET', path }, gate);
      assertMailboxOk(res, mailboxId);
      yield res.body.value.map((item) => ({
        itemId: item.id,
        changeKey: item.changeKey,
        ...readTags(item),
      }));
      path = res.body['@odata.nextLink'];
    }
  }

  /**
   * Reads items by id with our tags (and their field values when asked); an item that no
   * longer exists maps to null. Used for ids the delta reports that the cache does not know.
   */
  async readItems(
    tenant: TenantRef,
    mailboxId: string,
    itemIds: readonly string[],
    gate: MailboxGate,
    options: { withValues: boolean },
  ): Promise<Map<string, TaggedItem | null>> {
    const found = new Map<string, TaggedItem | null>();
    const select = options.withValues ? CONTACT_SELECT : 'id,changeKey';
    for (let start = 0; start < itemIds.length;) {
      const ids = itemIds.slice(start, start + gate.nextBatchSize());
      start += ids.length;
      const calls: GraphCall[] = ids.map((id) => ({
        method: 'GET',
        path: `/users/${mailboxId}/contacts/${id}?$select=${select}&$expand=${encodeURIComponent(EXPAND_TAGS)}`,
      }));
      const outcome = await this.graph.batch(tenant, calls, gate);
      throwIfStillThrottled(outcome.throttledForMs);
      outcome.responses.forEach((res, i) => {
        if (!res) return;
        if (res.status === 404) return found.set(ids[i], null);
        assertMailboxOk(res, mailboxId);
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
    tenant: TenantRef,
    mailboxId: string,
    folderId: string,
    listId: string,
    writes: readonly ContactWrite[],
    gate: MailboxGate,
    onBatch: (results: WriteResult[]) => Promise<void>,
  ): Promise<void> {
    for (let start = 0; start < writes.length;) {
      const chunk = writes.slice(start, start + gate.nextBatchSize());
      const calls = chunk.map((w) => this.callFor(mailboxId, folderId, listId, w));
      const outcome = await this.graph.batch(tenant, calls, gate);
      const results: WriteResult[] = [];
      let done = 0;
      for (const [i, res] of outcome.responses.entries()) {
        if (!res) break; // still throttled: this and later writes are retried after the wait
        done = i + 1;
        results.push(this.resultOf(chunk[i], res, mailboxId));
      }
      await onBatch(results);
      start += done;
      throwIfStillThrottled(outcome.throttledForMs);
    }
  }

  /** Sets a contact's photo (JPEG or PNG bytes). A missing item is not an error: the user deleted it. */
  async putPhoto(
    tenant: TenantRef,
    mailboxId: string,
    itemId: string,
    photo: Buffer,
    gate: MailboxGate,
  ): Promise<'done' | 'gone'> {
    const res = await this.graph.request(
      tenant,
      {
        method: 'PUT',
        path: `/users/${mailboxId}/contacts/${itemId}/photo/$value`,
        body: photo,
        headers: { 'Content-Type': 'image/jpeg' },
      },
      gate,
    );
    if (res.status === 404) return 'gone';
    assertMailboxOk(res, mailboxId, true);
    if (res.status >= 300)
      throw new MicrosoftError(
        'GRAPH_ERROR',
        `photo upload failed with ${res.status}: ${errorMessage(res.body)}`,
        { status: res.status },
      );
    return 'done';
  }

  private callFor(
    mailboxId: string,
    folderId: string,
    listId: string,
    write: ContactWrite,
  ): GraphCall {
    switch (write.kind) {
      case 'create':
        return {
          method: 'POST',
          path: `/users/${mailboxId}/contactFolders/${folderId}/contacts`,
          body: {
            ...write.body,
            singleValueExtendedProperties: tagProperties({
              listId,
              sourceKey: write.sourceKey,
              contentHash: write.contentHash,
              fieldHashes: write.fieldHashes,
            }),
          },
        };
      case 'update':
        return {
          method: 'PATCH',
          path: `/users/${mailboxId}/contacts/${write.itemId}`,
          body: {
            ...write.body,
            singleValueExtendedProperties: tagProperties({
              listId,
              sourceKey: write.sourceKey,
              contentHash: write.contentHash,
              fieldHashes: write.fieldHashes,
            }),
          },
        };
      case 'delete':
        return { method: 'DELETE', path: `/users/${mailboxId}/contacts/${write.itemId}` };
    }
  }

  private resultOf(write: ContactWrite, res: GraphResponse, mailboxId: string): WriteResult {
    if (res.status >= 200 && res.status < 300) {
      const body = (res.body ?? {}) as { id?: string; changeKey?: string };
      return {
        write,
        outcome: 'done',
        itemId: body.id ?? ('itemId' in write ? write.itemId : undefined),
        changeKey: body.changeKey,
      };
    }
    if (res.status === 404 && write.kind !== 'create') return { write, outcome: 'gone' };
    assertMailboxOk(res, mailboxId, true);
    return {
      write,
      outcome: 'failed',
      error: { status: res.status, code: errorCode(res.body), message: errorMessage(res.body) },
    };
  }
}

function throwIfStillThrottled(throttledForMs: number | undefined): void {
  if (throttledForMs !== undefined) {
    throw new MicrosoftError(
      'THROTTLED',
      `the mailbox asked us to wait ${Math.ceil(throttledForMs / 1000)} s`,
      {
        status: 429,
        retryAfterMs: throttledForMs,
      },
    );
  }
}

/**
 * Mailbox-wide failures become typed errors; anything else is left to the caller.
 * With `itemLevel`, a 404 is about the item, not the mailbox.
 */
function assertMailboxOk(res: GraphResponse, mailboxId: string, itemLevel = false): void {
  if (res.status < 400) return;
  const code = errorCode(res.body);
  // One code, two meanings: "REST API is not yet supported for this mailbox" is an on-premises
  // mailbox of a hybrid tenant (EWS reaches it); otherwise there is no usable mailbox at all.
  if (
    (code === 'MailboxNotEnabledForRESTAPI' || code === 'MailboxNotSupportedForRESTAPI') &&
    !/not yet supported/i.test(errorMessage(res.body))
  ) {
    throw new MicrosoftError(
      'MAILBOX_NOT_FOUND',
      `mailbox ${mailboxId} is inactive, soft-deleted or missing: ${code}`,
      { status: res.status, graphCode: code },
    );
  }
  if (code === 'MailboxNotEnabledForRESTAPI' || code === 'MailboxNotSupportedForRESTAPI') {
    throw new MicrosoftError(
      'MAILBOX_ON_PREMISES',
      `mailbox ${mailboxId} is not reachable through Graph (on-premises): ${code}`,
      { status: res.status, graphCode: code },
    );
  }
  if (res.status === 403) {
    throw new MicrosoftError(
      'PERMISSION_MISSING',
      `Graph refused access to mailbox ${mailboxId}: ${errorMessage(res.body)}`,
      { status: 403, graphCode: code },
    );
  }
  if (!itemLevel && res.status === 404) {
    throw new MicrosoftError(
      'MAILBOX_NOT_FOUND',
      `mailbox ${mailboxId} not found: ${errorMessage(res.body)}`,
      { status: 404, graphCode: code },
    );
  }
  if (
    code === 'ErrorInvalidUser' ||
    code === 'ResourceNotFound' ||
    code === 'Request_ResourceNotFound'
  ) {
    throw new MicrosoftError(
      'MAILBOX_NOT_FOUND',
      `mailbox ${mailboxId} not found: ${errorMessage(res.body)}`,
      { status: res.status, graphCode: code },
    );
  }
  if (!itemLevel) {
    throw new MicrosoftError(
      res.status >= 500 ? 'TRANSIENT' : 'GRAPH_ERROR',
      `Graph answered ${res.status} for mailbox ${mailboxId}: ${errorMessage(res.body)}`,
      {
        status: res.status,
        graphCode: code,
      },
    );
  }
}
