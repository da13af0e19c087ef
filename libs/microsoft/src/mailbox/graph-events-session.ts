import type * as MG from '@microsoft/microsoft-graph-types';
import {
  type CalendarEvent,
  type ChangeSet,
  type ContainerSpec,
  type ItemWrite,
  type ItemWriteResult,
  type MailboxEventValues,
  type MailboxPurpose,
  type MailboxSession,
  type StoredItem,
} from '@app/domain';
import { createHash } from 'node:crypto';
import { errorCode, errorMessage, type GraphGateway } from '../graph/graph-gateway';
import { graphPages } from '../graph/graph-pages';
import type { GraphCall, GraphResponse, TenantRef } from '../graph/graph-types';
import type { MailboxGate } from '../graph/mailbox-gate';
import {
  instantOfEventTime,
  toGraphDateTime,
  toGraphEvent,
  toGraphException,
} from './graph-event-body';
import {
  assertContainerFound,
  assertMailboxOk,
  probeMailboxPurpose,
  throwIfStillThrottled,
  writeResultOf,
} from './graph-mailbox-checks';
import { EXPAND_TAGS, filterByList, readTags, tagProperties } from './ownership-tags';

type EventWrite = ItemWrite<CalendarEvent>;
type WriteResult = ItemWriteResult<CalendarEvent>;
type EventItem = StoredItem<MailboxEventValues>;
type Instance = Pick<MG.Event, 'id' | 'type' | 'originalStart' | 'start' | 'end' | 'subject'>;

/** The ContentHash a series carries until its exceptions are written: never a real hash. */
const INCOMPLETE = 'incomplete';
const DAY = 86_400_000;

/**
 * The mailbox port for calendar events over Graph, for one job on one mailbox. Our events live
 * in a calendar of ours (or the primary calendar); Graph's event delta exists only on the
 * primary calendar view and returns no extended properties, so this port has no change feed:
 * the engine lists our tagged events (series masters and single events, one request for up to
 * a thousand) each run. Events are appointments: no attendees, nobody is invited. A series is
 * one item; its moved and cancelled occurrences are written on its instances after the master,
 * and the master carries its real content hash only once they are (so a failure half way is
 * seen and repaired by the next run).
 */
export class GraphEventsSession implements MailboxSession<CalendarEvent, MailboxEventValues> {
  readonly changeTracking = 'none';
  // The tagged listing of a calendar answers 404 once it is deleted for good; one in Deleted
  // Items is found by the daily look (ADR 0035).
  readonly containerCheck = 'daily';

  constructor(
    private readonly graph: GraphGateway,
    private readonly tenant: TenantRef,
    private readonly mailboxId: string,
    private readonly gate: MailboxGate,
  ) {}

  get retries(): number {
    return this.gate.retries;
  }

  async probe(): Promise<MailboxPurpose> {
    return probeMailboxPurpose(this.graph, this.tenant, this.mailboxId, this.gate);
  }

  /** The primary calendar, or a calendar of that name (created when missing). */
  async ensureContainer(
    spec: ContainerSpec,
    options: { create: boolean },
  ): Promise<string | undefined> {
    if (spec.kind === 'default') {
      const res = await this.get<{ id: string }>(`/users/${this.mailboxId}/calendar?$select=id`);
      assertMailboxOk(res, this.mailboxId);
      return res.body.id;
    }
    const wanted = spec.name.toLowerCase();
    for await (const calendars of this.pages<Pick<MG.Calendar, 'id' | 'name'>>(
      `/users/${this.mailboxId}/calendars?$select=id,name&$top=100`,
    )) {
      const found = calendars.find((c) => c.name?.toLowerCase() === wanted);
      if (found?.id) return found.id;
    }
    if (!options.create) return undefined;
    const created = await this.graph.request<{ id: string }>(
      this.tenant,
      { method: 'POST', path: `/users/${this.mailboxId}/calendars`, body: { name: spec.name } },
      this.gate,
    );
    assertMailboxOk(created, this.mailboxId);
    return created.body.id;
  }

  /** The calendar's name, or null when it no longer exists (a deleted calendar is gone). */
  async inspectContainer(containerId: string): Promise<{ name: string } | null> {
    const res = await this.get<Pick<MG.Calendar, 'name'>>(
      `/users/${this.mailboxId}/calendars/${containerId}?$select=id,name`,
    );
    if (res.status === 404) return null;
    assertMailboxOk(res, this.mailboxId);
    return { name: res.body.name ?? '' };
  }

  /** Renames a calendar of ours in place: its events and their ids stay as they are. */
  async renameContainer(containerId: string, name: string): Promise<'done' | 'conflict' | 'gone'> {
    const res = await this.graph.request(
      this.tenant,
      {
        method: 'PATCH',
        path: `/users/${this.mailboxId}/calendars/${containerId}`,
        body: { name },
      },
      this.gate,
    );
    if (res.status === 409 || errorCode(res.body) === 'ErrorFolderExists') return 'conflict';
    if (res.status === 404) return 'gone';
    assertMailboxOk(res, this.mailboxId);
    return 'done';
  }

  /** No change feed with our tags on calendars: the engine lists our items instead. */
  readChanges(): Promise<ChangeSet | 'expired'> {
    return Promise.resolve('expired');
  }

  async *listTagged(containerId: string, listId: string): AsyncIterable<EventItem[]> {
    for await (const items of graphPages<
      Record<string, unknown> & { id: string; changeKey?: string; subject?: string }
    >(
      this.graph,
      this.tenant,
      `/users/${this.mailboxId}/calendars/${containerId}/events?$select=id,changeKey,subject&$top=1000` +
        `&$filter=${encodeURIComponent(filterByList(listId))}&$expand=${encodeURIComponent(EXPAND_TAGS)}`,
      (res) => {
        // A calendar deleted for good: the engine looks for (and re-creates) it.
        assertContainerFound(res, containerId);
        assertMailboxOk(res, this.mailboxId);
      },
      this.gate,
    )) {
      yield items.map((item) => ({
        itemId: item.id,
        changeKey: item.changeKey,
        ...readTags(item),
        values: { subject: item.subject },
      }));
    }
  }

  async readItems(
    itemIds: readonly string[],
    options: { withValues: boolean },
  ): Promise<Map<string, EventItem | null>> {
    const found = new Map<string, EventItem | null>();
    for (let start = 0; start < itemIds.length;) {
      const ids = itemIds.slice(start, start + this.gate.nextBatchSize());
      start += ids.length;
      const outcome = await this.graph.batch(
        this.tenant,
        ids.map((id) => ({
          method: 'GET' as const,
          path: `/users/${this.mailboxId}/events/${id}?$select=id,changeKey,subject&$expand=${encodeURIComponent(EXPAND_TAGS)}`,
        })),
        this.gate,
      );
      throwIfStillThrottled(outcome.throttledForMs);
      outcome.responses.forEach((res, i) => {
        if (!res) return;
        if (res.status === 404) return found.set(ids[i]!, null);
        assertMailboxOk(res, this.mailboxId);
        const item = res.body as Record<string, unknown> & {
          id: string;
          changeKey?: string;
          subject?: string;
        };
        found.set(ids[i]!, {
          itemId: item.id,
          changeKey: item.changeKey,
          ...readTags(item),
          ...(options.withValues ? { values: { subject: item.subject } } : {}),
        });
      });
    }
    return found;
  }

  /**
   * Creates, updates and deletes in $batch requests of the gate's size; then, per series with
   * exceptions, its instances are brought in line and the master gets its real content hash.
   */
  async write(
    containerId: string,
    listId: string,
    writes: readonly EventWrite[],
    onBatch: (results: WriteResult[]) => Promise<void>,
  ): Promise<void> {
    for (let start = 0; start < writes.length;) {
      const chunk = writes.slice(start, start + this.gate.nextBatchSize());
      const calls = chunk.map((w) => this.callFor(containerId, listId, w));
      const outcome = await this.graph.batch(this.tenant, calls, this.gate);
      const results: WriteResult[] = [];
      let done = 0;
      for (const [i, res] of outcome.responses.entries()) {
        if (!res) break;
        done = i + 1;
        let result = this.resultOf(chunk[i]!, res);
        const write = chunk[i]!;
        if (result.outcome === 'done' && write.kind !== 'delete' && needsInstanceWork(write))
          result = await this.finishSeries(listId, write, result);
        results.push(result);
      }
      await onBatch(results);
      start += done;
      throwIfStillThrottled(outcome.throttledForMs);
    }
  }

  /**
   * Brings a series' instances in line with its exceptions (moved ones patched, cancelled ones
   * deleted, ones no longer moved put back), then tags the master with its real content hash.
   */
  private async finishSeries(
    listId: string,
    write: Extract<EventWrite, { kind: 'create' | 'update' }>,
    result: WriteResult,
  ): Promise<WriteResult> {
    const masterId = result.itemId!;
    const event = write.patch;
    const exceptions = event.exceptions ?? [];
    const seriesStart = instantOfEventTime(event.start);
    const duration = instantOfEventTime(event.end) - seriesStart;
    const lastException = Math.max(
      seriesStart,
      ...exceptions.map((e) => instantOfEventTime(e.originalStart)),
    );
    const from = new Date(seriesStart - DAY).toISOString();
    const to = new Date(Math.max(lastException + DAY, Date.now() + 550 * DAY)).toISOString();
    const instances: Instance[] = [];
    for await (const page of this.pages<Instance>(
      `/users/${this.mailboxId}/events/${masterId}/instances?startDateTime=${from}&endDateTime=${to}` +
        `&$select=id,type,originalStart,start,end,subject&$top=1000`,
      true,
    ))
      instances.push(...page);
    const byOriginal = new Map(
      instances
        .filter((i) => i.originalStart)
        .map((i) => [Date.parse(i.originalStart!), i] as const),
    );
    const calls: GraphCall[] = [];
    const wanted = new Set<number>();
    for (const exception of exceptions) {
      const at = instantOfEventTime(exception.originalStart);
      const instance = byOriginal.get(at);
      if (!instance?.id) continue; // already cancelled, or outside what Graph expands
      if (exception.kind === 'cancelled') {
        calls.push({ method: 'DELETE', path: `/users/${this.mailboxId}/events/${instance.id}` });
        continue;
      }
      wanted.add(at);
      if (
        instance.type === 'exception' &&
        graphInstant(instance.start) === instantOfEventTime(exception.start) &&
        graphInstant(instance.end) === instantOfEventTime(exception.end) &&
        (exception.subject === undefined || instance.subject === exception.subject)
      )
        continue;
      calls.push({
        method: 'PATCH',
        path: `/users/${this.mailboxId}/events/${instance.id}`,
        body: toGraphException(exception),
      });
    }
    // An occurrence the source no longer moves goes back to the series' time and subject.
    for (const [at, instance] of byOriginal) {
      if (instance.type !== 'exception' || wanted.has(at) || !instance.id) continue;
      calls.push({
        method: 'PATCH',
        path: `/users/${this.mailboxId}/events/${instance.id}`,
        body: {
          subject: event.subject,
          start: toGraphDateTime(shiftTo(event.start, at)),
          end: toGraphDateTime(shiftTo(event.start, at + duration)),
        },
      });
    }
    calls.push({
      method: 'PATCH',
      path: `/users/${this.mailboxId}/events/${masterId}`,
      body: { singleValueExtendedProperties: tagsOf(listId, write, write.contentHash) },
    });
    for (let start = 0; start < calls.length;) {
      const part = calls.slice(start, start + this.gate.nextBatchSize());
      const outcome = await this.graph.batch(this.tenant, part, this.gate);
      for (const res of outcome.responses) {
        if (!res) throwIfStillThrottled(outcome.throttledForMs ?? 1_000);
        else if (res.status >= 300 && res.status !== 404) {
          assertMailboxOk(res, this.mailboxId, true);
          return {
            write,
            outcome: 'failed',
            itemId: masterId,
            error: {
              status: res.status,
              code: errorCode(res.body),
              message: `the series was written, its occurrences not: ${errorMessage(res.body)}`,
            },
          };
        }
      }
      start += part.length;
    }
    return result;
  }

  private get<T>(path: string): Promise<GraphResponse<T>> {
    return this.graph.request<T>(this.tenant, { method: 'GET', path }, this.gate);
  }

  private pages<T>(firstPath: string, itemLevel = false): AsyncIterable<T[]> {
    return graphPages<T>(
      this.graph,
      this.tenant,
      firstPath,
      (res) => assertMailboxOk(res, this.mailboxId, itemLevel),
      this.gate,
    );
  }

  private callFor(calendarId: string, listId: string, write: EventWrite): GraphCall {
    switch (write.kind) {
      case 'create':
        return {
          method: 'POST',
          path: `/users/${this.mailboxId}/calendars/${calendarId}/events`,
          body: {
            ...toGraphEvent(write.patch),
            // A retried create after a lost response is recognised by Graph (a retry guard) and
            // by our tags in any case.
            transactionId: transactionIdOf(listId, write),
            singleValueExtendedProperties: tagsOf(
              listId,
              write,
              needsInstanceWork(write) ? INCOMPLETE : write.contentHash,
            ),
          },
        };
      case 'update':
        return {
          method: 'PATCH',
          path: `/users/${this.mailboxId}/events/${write.itemId}`,
          body: {
            ...toGraphEvent(write.patch),
            singleValueExtendedProperties: tagsOf(
              listId,
              write,
              needsInstanceWork(write) ? INCOMPLETE : write.contentHash,
            ),
          },
        };
      case 'delete':
        return { method: 'DELETE', path: `/users/${this.mailboxId}/events/${write.itemId}` };
    }
  }

  private resultOf(write: EventWrite, res: GraphResponse): WriteResult {
    return writeResultOf(write, res, this.mailboxId);
  }
}

/** A series whose occurrences need writing after its master (or may, after an update). */
function needsInstanceWork(write: EventWrite): boolean {
  if (write.kind === 'delete' || !write.patch.recurrence) return false;
  return write.kind === 'update' || (write.patch.exceptions?.length ?? 0) > 0;
}

function tagsOf(
  listId: string,
  write: Extract<EventWrite, { kind: 'create' | 'update' }>,
  contentHash: string,
): Array<{ id: string; value: string }> {
  return tagProperties({ listId, sourceKey: write.sourceKey, contentHash });
}

function transactionIdOf(listId: string, write: Extract<EventWrite, { kind: 'create' }>): string {
  return createHash('sha256')
    .update(`${listId}|${write.sourceKey}|${write.contentHash}`)
    .digest('hex')
    .slice(0, 32);
}

/** Graph answers times in UTC unless asked otherwise (no Prefer: outlook.timezone is sent). */
function graphInstant(time: MG.DateTimeTimeZone | null | undefined): number | undefined {
  if (!time?.dateTime) return undefined;
  return Date.parse(time.dateTime.endsWith('Z') ? time.dateTime : `${time.dateTime}Z`);
}

/** The series' start moved to another instant, in the series' own terms. */
function shiftTo(start: CalendarEvent['start'], instant: number): CalendarEvent['start'] {
  const iso = new Date(instant).toISOString();
  return start.kind === 'date'
    ? { kind: 'date', date: iso.slice(0, 10) }
    : { kind: 'dateTime', local: iso.slice(0, 19), timeZone: 'UTC' };
}
