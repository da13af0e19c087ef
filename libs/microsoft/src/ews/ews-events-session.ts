import type {
  CalendarEvent,
  ChangeSet,
  ItemWrite,
  ItemWriteResult,
  MailboxEventValues,
  MailboxSession,
} from '@app/domain';
import {
  Appointment,
  AppointmentSchema,
  AppointmentType,
  BasePropertySet,
  CalendarFolder,
  CalendarView,
  ConflictResolutionMode,
  DateTime,
  type DeletedOccurrenceInfo,
  DeleteMode,
  type ExchangeService,
  FolderId,
  type Item,
  ItemId,
  ItemSchema,
  PropertySet,
  SendCancellationsMode,
  SendInvitationsMode,
  SendInvitationsOrCancellationsMode,
  ServiceResult,
  WellKnownFolderName,
} from 'ews-javascript-api';
import { instantOfEventTime } from '../mailbox/graph-event-body';
import { applyEventPatch, applyExceptionPatch } from './ews-event-fields';
import {
  EWS_ITEM_GONE,
  EWS_WRITE_BATCH,
  EwsMailboxSession,
  existingItem,
  tagEwsItem,
  tryRead,
  writtenId,
  type EwsSessionContext,
} from './ews-mailbox-session';
import { EWS_TAG_LIST, readEwsTags } from './ews-ownership-tags';

type EventWrite = ItemWrite<CalendarEvent>;
type WriteResult = ItemWriteResult<CalendarEvent>;
type Upsert = Extract<EventWrite, { kind: 'create' | 'update' }>;

/** The ContentHash a series carries until its exceptions are written: never a real hash. */
const INCOMPLETE = 'incomplete';
const DAY = 86_400_000;

/**
 * The mailbox port for calendar items over EWS (Exchange Server on-premises), for one job on one
 * mailbox: the same rules as the Graph events adapter on EWS's operations. Our events live in a
 * calendar of ours (a CalendarFolder beside the default Calendar, under the message folder
 * root) or the default Calendar. No change feed with our tags: the engine lists our tagged items
 * (one FindItem restricted to our property per 1,000, series masters and single items). Nobody
 * is ever notified: CreateItem says SendMeetingInvitations="SendToNone", UpdateItem
 * SendMeetingInvitationsOrCancellations="SendToNone", DeleteItem
 * SendMeetingCancellations="SendToNone". A series is one item; its moved and cancelled
 * occurrences are written on the occurrences (ids from a CalendarView) after the master, which
 * carries its real content hash only once they are.
 */
export class EwsEventsSession
  extends EwsMailboxSession<CalendarEvent, MailboxEventValues>
  implements MailboxSession<CalendarEvent, MailboxEventValues>
{
  readonly changeTracking = 'none';
  // The tagged listing answers ErrorFolderNotFound once the calendar is deleted for good; one
  // in Deleted Items is found by the daily look (ADR 0035).
  readonly containerCheck = 'daily';
  protected readonly listedProperties = [ItemSchema.Subject];

  constructor(ctx: EwsSessionContext) {
    super(ctx, {
      defaultFolder: WellKnownFolderName.Calendar,
      parentFolder: WellKnownFolderName.MsgFolderRoot,
      isKind: (f) => f instanceof CalendarFolder,
      newFolder: (service) => new CalendarFolder(service),
      noun: 'calendar',
    });
  }

  /** No change feed with our tags on calendars: the engine lists our items instead. */
  readChanges(): Promise<ChangeSet | 'expired'> {
    return Promise.resolve('expired');
  }

  protected valuesOf(item: Item): MailboxEventValues {
    return { subject: tryRead(() => item.Subject) ?? undefined };
  }

  protected deleteCall(service: ExchangeService, ids: ItemId[]) {
    return service.DeleteItems(
      ids,
      DeleteMode.MoveToDeletedItems,
      SendCancellationsMode.SendToNone,
      null as never,
    );
  }

  protected async createItems(
    folderId: string,
    listId: string,
    writes: Extract<EventWrite, { kind: 'create' }>[],
    results: Map<EventWrite, WriteResult>,
  ): Promise<void> {
    const items = await this.appointments(listId, writes);
    const responses = await this.call('CreateItem', (s) =>
      s.CreateItems(items, new FolderId(folderId), null as never, SendInvitationsMode.SendToNone),
    );
    await this.settle(listId, writes, items, responses.Responses, results);
  }

  protected async updateItems(
    listId: string,
    writes: Extract<EventWrite, { kind: 'update' }>[],
    results: Map<EventWrite, WriteResult>,
  ): Promise<void> {
    const items = await this.appointments(listId, writes);
    const responses = await this.updateCall(items);
    await this.settle(listId, writes, items, responses.Responses, results);
  }

  /** The items of creates or updates (an update stands for the item by id, unread). */
  private async appointments(listId: string, writes: Upsert[]): Promise<Appointment[]> {
    const { handle } = await this.connect();
    return writes.map((w) => {
      const a = new Appointment(handle.service);
      if (w.kind === 'update') existingItem(a, w.itemId);
      applyEventPatch(a, w.patch);
      tagEwsItem(a, listId, w, needsInstanceWork(w) ? INCOMPLETE : w.contentHash);
      return a;
    });
  }

  /** Per-item results; a series written whole then has its occurrences brought in line. */
  private async settle(
    listId: string,
    writes: Upsert[],
    items: Appointment[],
    responses: Parameters<EwsMailboxSession<CalendarEvent, MailboxEventValues>['failedWrite']>[1][],
    results: Map<EventWrite, WriteResult>,
  ): Promise<void> {
    for (const [i, res] of responses.entries()) {
      const w = writes[i];
      if (res.Result !== ServiceResult.Success) {
        results.set(w, this.failedWrite(w, res));
        continue;
      }
      let result: WriteResult = {
        write: w,
        outcome: 'done',
        ...writtenId(res, items[i], w.kind === 'update' ? w.itemId : undefined),
      };
      if (needsInstanceWork(w)) result = await this.finishSeries(listId, w, result);
      results.set(w, result);
    }
  }

  /**
   * Brings a series' occurrences in line with its exceptions (moved ones updated, cancelled
   * ones deleted, ones no longer moved put back), then tags the master with its real content
   * hash. The master's ModifiedOccurrences name the exceptions already there (with their
   * original start); a CalendarView over the span the exceptions touch gives the occurrences'
   * ids (an occurrence carries its master's properties, our tags included).
   */
  private async finishSeries(
    listId: string,
    write: Upsert,
    result: WriteResult,
  ): Promise<WriteResult> {
    const masterId = result.itemId!;
    const event = write.patch;
    const exceptions = event.exceptions ?? [];
    const [masterRes] = (
      await this.call('GetItem', (s) =>
        s.BindToItems(
          [new ItemId(masterId)],
          new PropertySet(BasePropertySet.IdOnly, [
            AppointmentSchema.ModifiedOccurrences,
            AppointmentSchema.DeletedOccurrences,
            AppointmentSchema.ParentFolderId,
          ]),
        ),
      )
    ).Responses;
    if (masterRes.Result !== ServiceResult.Success)
      return this.seriesFailed(write, masterId, masterRes);
    const master = masterRes.Item as Appointment;
    /** Exceptions already on the series: original start → its item id. */
    const modified = new Map<number, string>();
    for (const o of tryRead(() => master.ModifiedOccurrences?.GetEnumerator()) ?? [])
      modified.set(o.OriginalStart.TotalMilliSeconds, o.ItemId.UniqueId);
    const deleted = new Set(
      (tryRead(() => master.DeletedOccurrences?.GetEnumerator()) ?? []).map(
        (d: DeletedOccurrenceInfo) => d.OriginalStart.TotalMilliSeconds,
      ),
    );
    const seriesStart = instantOfEventTime(event.start);
    const duration = instantOfEventTime(event.end) - seriesStart;
    const touched = exceptions.flatMap((e) =>
      e.kind === 'modified'
        ? [instantOfEventTime(e.originalStart), instantOfEventTime(e.start)]
        : [instantOfEventTime(e.originalStart)],
    );
    // What is in the span: occurrences (by their start, which is their original start) and
    // exceptions (by id), with what they show now.
    const occurrences = new Map<number, string>();
    const current = new Map<string, { start: number; end: number; subject?: string }>();
    if (touched.length || modified.size) {
      const from = Math.min(seriesStart, ...touched) - DAY;
      const to = Math.max(seriesStart, ...touched, ...modified.keys()) + DAY + duration;
      const folderId = tryRead(() => master.ParentFolderId?.UniqueId);
      const view = new CalendarView(new DateTime(from), new DateTime(to));
      view.PropertySet = new PropertySet(BasePropertySet.IdOnly, [
        AppointmentSchema.Start,
        AppointmentSchema.End,
        ItemSchema.Subject,
        AppointmentSchema.AppointmentType,
        ...EWS_TAG_LIST,
      ]);
      const found = await this.call('FindItem', (s) =>
        s.FindAppointments(
          folderId ? new FolderId(folderId) : new FolderId(WellKnownFolderName.Calendar),
          view,
        ),
      );
      for (const a of found.Items) {
        const tags = readEwsTags(a);
        if (tags.listId !== listId || tags.sourceKey !== write.sourceKey) continue;
        const start = a.Start.TotalMilliSeconds;
        if (a.AppointmentType === AppointmentType.Occurrence) occurrences.set(start, a.Id.UniqueId);
        if (a.AppointmentType === AppointmentType.Exception)
          current.set(a.Id.UniqueId, {
            start,
            end: a.End.TotalMilliSeconds,
            subject: tryRead(() => a.Subject) ?? undefined,
          });
      }
    }
    const { handle } = await this.connect();
    const updates: Appointment[] = [];
    const deletes: string[] = [];
    const wanted = new Set<number>();
    for (const exception of exceptions) {
      const at = instantOfEventTime(exception.originalStart);
      const id = modified.get(at) ?? occurrences.get(at);
      if (!id || deleted.has(at)) continue; // already cancelled, or not an occurrence
      if (exception.kind === 'cancelled') {
        deletes.push(id);
        continue;
      }
      wanted.add(at);
      const now = current.get(id);
      if (
        now &&
        now.start === instantOfEventTime(exception.start) &&
        now.end === instantOfEventTime(exception.end) &&
        (exception.subject === undefined || now.subject === exception.subject)
      )
        continue;
      const a = existingItem(new Appointment(handle.service), id);
      applyExceptionPatch(a, exception);
      updates.push(a);
    }
    // An occurrence the source no longer moves goes back to the series' time and subject.
    for (const [at, id] of modified) {
      if (wanted.has(at)) continue;
      const a = existingItem(new Appointment(handle.service), id);
      a.Subject = event.subject;
      a.Start = new DateTime(at);
      a.End = new DateTime(at + duration);
      updates.push(a);
    }
    const failure = await this.writeOccurrences(updates, deletes);
    if (failure) return this.seriesFailed(write, masterId, failure);
    const tagged = existingItem(new Appointment(handle.service), masterId);
    tagEwsItem(tagged, listId, write);
    const [res] = (await this.updateCall([tagged])).Responses;
    if (res.Result !== ServiceResult.Success) return this.seriesFailed(write, masterId, res);
    return { ...result, ...writtenId(res, tagged, masterId) };
  }

  /** Occurrence updates and deletions, many per call; the first failure that is not "gone". */
  private async writeOccurrences(
    updates: Appointment[],
    deletes: string[],
  ): Promise<
    Parameters<EwsMailboxSession<CalendarEvent, MailboxEventValues>['failedWrite']>[1] | undefined
  > {
    const firstFailure = (rs: Array<{ Result: ServiceResult; ErrorCode: unknown }>) =>
      rs.find(
        (r) =>
          r.Result !== ServiceResult.Success &&
          !EWS_ITEM_GONE.has(this.itemFailure(r as never).responseCode ?? ''),
      );
    for (let i = 0; i < updates.length; i += EWS_WRITE_BATCH) {
      const bad = firstFailure(
        (await this.updateCall(updates.slice(i, i + EWS_WRITE_BATCH))).Responses,
      );
      if (bad) return bad as never;
    }
    for (let i = 0; i < deletes.length; i += EWS_WRITE_BATCH) {
      const ids = deletes.slice(i, i + EWS_WRITE_BATCH).map((id) => new ItemId(id));
      const bad = firstFailure(
        (await this.call('DeleteItem', (s) => this.deleteCall(s, ids))).Responses,
      );
      if (bad) return bad as never;
    }
    return undefined;
  }

  private updateCall(items: Appointment[]) {
    return this.call('UpdateItem', (s) =>
      s.UpdateItems(
        items,
        null as never,
        ConflictResolutionMode.AlwaysOverwrite,
        null as never,
        SendInvitationsOrCancellationsMode.SendToNone,
      ),
    );
  }

  private seriesFailed(
    write: Upsert,
    masterId: string,
    res: Parameters<EwsMailboxSession<CalendarEvent, MailboxEventValues>['failedWrite']>[1],
  ): WriteResult {
    const f = this.itemFailure(res);
    const wide = this.mailboxWide(f);
    if (wide) throw wide;
    return {
      write,
      outcome: 'failed',
      itemId: masterId,
      error: {
        status: 200,
        code: f.responseCode,
        message: `the series was written, its occurrences not: ${f.message}`,
      },
    };
  }
}

/** A series whose occurrences need writing after its master (or may, after an update). */
function needsInstanceWork(write: EventWrite): boolean {
  if (write.kind === 'delete' || !write.patch.recurrence) return false;
  return write.kind === 'update' || (write.patch.exceptions?.length ?? 0) > 0;
}
