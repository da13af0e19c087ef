import { instantOf, type CalendarListSettings } from '@app/calendar';
import type { CalendarEvent, EventRecurrence, EventTime } from '@app/domain';
import {
  CalendarEntryRepository,
  CalendarListRepository,
  UnitOfWork,
  type CalendarEntryRow,
  type CalendarListEntity,
} from '@app/persistence';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Actor } from './actor';
import {
  calendarEventSchema,
  withSeconds,
  type CalendarEventInput,
  type EventTimeInput,
  type UpdateCalendarEventInput,
  updateCalendarEventSchema,
} from './calendar-event.schema';
import type { PageInput } from './schemas';
import { Conflict, NotFound, parseInput, ValidationFailed } from './validation';

/** Manual events per source: more belong in an iCalendar file or feed. */
export const MAX_MANUAL_EVENTS = 5_000;

/** A manual event as the API shows it (times as they were entered). */
export interface CalendarEventView {
  id: string;
  sourceId: string;
  subject: string;
  body: string | null;
  location: string | null;
  start: EventTimeInput;
  end: EventTimeInput;
  isAllDay: boolean;
  showAs: CalendarEvent['showAs'];
  isReminderOn: boolean;
  reminderMinutesBeforeStart: number | null;
  categories: string[];
  recurrence: EventRecurrence | null;
}

function timeOf(t: EventTimeInput): EventTime {
  return t.date !== undefined
    ? { kind: 'date', date: t.date }
    : { kind: 'dateTime', local: withSeconds(t.dateTime!), timeZone: t.timeZone! };
}

function inputTimeOf(t: EventTime): EventTimeInput {
  return t.kind === 'date' ? { date: t.date } : { dateTime: t.local, timeZone: t.timeZone };
}

function instantOfTime(t: EventTime): Date {
  return t.kind === 'date' ? new Date(`${t.date}T00:00:00Z`) : instantOf(t.local, t.timeZone);
}

function eventOf(
  id: string,
  input: CalendarEventInput,
  settings: CalendarListSettings,
): CalendarEvent {
  return {
    sourceKey: id,
    subject: input.subject,
    ...(input.body ? { body: input.body } : {}),
    ...(input.location ? { location: input.location } : {}),
    start: timeOf(input.start),
    end: timeOf(input.end),
    isAllDay: input.start.date !== undefined,
    showAs: input.showAs ?? settings.showAs,
    isReminderOn: input.isReminderOn ?? settings.isReminderOn,
    ...(input.reminderMinutesBeforeStart !== undefined
      ? { reminderMinutesBeforeStart: input.reminderMinutesBeforeStart }
      : {}),
    ...(input.categories?.length ? { categories: input.categories } : {}),
    ...(input.recurrence ? { recurrence: input.recurrence as EventRecurrence } : {}),
  };
}

function view(row: CalendarEntryRow): CalendarEventView {
  const e = JSON.parse(row.data) as CalendarEvent;
  return {
    id: row.id,
    sourceId: row.sourceId,
    subject: e.subject,
    body: e.body ?? null,
    location: e.location ?? null,
    start: inputTimeOf(e.start),
    end: inputTimeOf(e.end),
    isAllDay: e.isAllDay,
    showAs: e.showAs,
    isReminderOn: e.isReminderOn,
    reminderMinutesBeforeStart: e.reminderMinutesBeforeStart ?? null,
    categories: e.categories ?? [],
    recurrence: e.recurrence ?? null,
  };
}

/** The input a stored event was made from (for merging a change into it). */
function inputOf(v: CalendarEventView): Record<string, unknown> {
  return {
    subject: v.subject,
    ...(v.body !== null ? { body: v.body } : {}),
    ...(v.location !== null ? { location: v.location } : {}),
    start: v.start,
    end: v.end,
    showAs: v.showAs,
    isReminderOn: v.isReminderOn,
    ...(v.reminderMinutesBeforeStart !== null
      ? { reminderMinutesBeforeStart: v.reminderMinutesBeforeStart }
      : {}),
    ...(v.categories.length ? { categories: v.categories } : {}),
    ...(v.recurrence ? { recurrence: v.recurrence } : {}),
  };
}

/**
 * Events of a calendar list's `manual` sources, added, changed and deleted through the API and
 * kept as calendar entries (sealed) like an uploaded file's; the next run pushes them. An
 * event's key is its id, so an edit updates the same item in every mailbox.
 */
@Injectable()
export class CalendarEventsService {
  constructor(
    @Inject(CalendarListRepository) private readonly lists: CalendarListRepository,
    @Inject(CalendarEntryRepository) private readonly entries: CalendarEntryRepository,
    @Inject(UnitOfWork) private readonly unitOfWork: UnitOfWork,
  ) {}

  /** The list and its settings, 404 first, then 400 when the source is not a manual one. */
  async manualSource(
    tenantId: string,
    listId: string,
    sourceId: string,
  ): Promise<{ list: CalendarListEntity; settings: CalendarListSettings }> {
    const list = await this.lists.findInTenant(tenantId, listId.toLowerCase());
    if (!list) throw new NotFound('calendar list');
    const settings = JSON.parse(list.settings) as CalendarListSettings;
    const source = settings.sources.find((s) => s.id === sourceId);
    if (!source || source.kind !== 'manual')
      throw new ValidationFailed([
        { field: 'sourceId', message: 'not a manual source of this calendar list' },
      ]);
    return { list, settings };
  }

  async list(
    tenantId: string,
    listId: string,
    sourceId: string,
    page: PageInput,
  ): Promise<{ items: CalendarEventView[]; total: number }> {
    const { list } = await this.manualSource(tenantId, listId, sourceId);
    const rows = await this.entries.ofSource(tenantId, list.id, sourceId);
    return {
      items: rows.slice(page.offset, page.offset + page.limit).map(view),
      total: rows.length,
    };
  }

  async get(
    tenantId: string,
    listId: string,
    sourceId: string,
    eventId: string,
  ): Promise<CalendarEventView> {
    return view((await this.manualEvent(tenantId, listId, sourceId, eventId)).row);
  }

  /** One event of a manual source, with its list: 404 for an unknown list or event. */
  private async manualEvent(tenantId: string, listId: string, sourceId: string, eventId: string) {
    const found = await this.manualSource(tenantId, listId, sourceId);
    const row = await this.entries.findOne(
      tenantId,
      found.list.id,
      sourceId,
      eventId.toLowerCase(),
    );
    if (!row) throw new NotFound('event');
    return { ...found, row };
  }

  async create(
    actor: Actor,
    listId: string,
    sourceId: string,
    body: unknown,
  ): Promise<CalendarEventView> {
    const { list, settings } = await this.manualSource(actor.tenantId, listId, sourceId);
    const input = parseInput(calendarEventSchema, body);
    const id = randomUUID();
    const event = eventOf(id, input, settings);
    return this.unitOfWork.run(async (tx) => {
      const existing = await tx.calendarEntries.ofSource(actor.tenantId, list.id, sourceId);
      if (existing.length >= MAX_MANUAL_EVENTS)
        throw new Conflict(
          `a manual source holds at most ${MAX_MANUAL_EVENTS} events: use an iCalendar file or feed`,
          [{ field: 'sourceId', message: `already ${existing.length} events` }],
        );
      await tx.calendarEntries.insertOne(actor.tenantId, list.id, entryOf(sourceId, event), id);
      await tx.audit.record(
        actor,
        'calendar_event.create',
        { type: 'calendar_entry', id },
        { listId: list.id, sourceId },
      );
      return view({ id, sourceId, eventKey: id, ...windowOf(event), data: JSON.stringify(event) });
    });
  }

  async update(
    actor: Actor,
    listId: string,
    sourceId: string,
    eventId: string,
    body: unknown,
  ): Promise<CalendarEventView> {
    const { list, settings, row } = await this.manualEvent(
      actor.tenantId,
      listId,
      sourceId,
      eventId,
    );
    const change: UpdateCalendarEventInput = parseInput(updateCalendarEventSchema, body);
    const merged: Record<string, unknown> = inputOf(view(row));
    for (const [key, value] of Object.entries(change))
      if (value === null) delete merged[key];
      else merged[key] = value;
    const input = parseInput(calendarEventSchema, merged);
    const event = eventOf(row.id, input, settings);
    await this.unitOfWork.run(async (tx) => {
      await tx.calendarEntries.updateOne(actor.tenantId, list.id, row.id, entryOf(sourceId, event));
      await tx.audit.record(
        actor,
        'calendar_event.update',
        { type: 'calendar_entry', id: row.id },
        { listId: list.id, sourceId, changed: Object.keys(change) },
      );
    });
    return view({ ...row, ...windowOf(event), data: JSON.stringify(event) });
  }

  async remove(actor: Actor, listId: string, sourceId: string, eventId: string): Promise<void> {
    const { list, row } = await this.manualEvent(actor.tenantId, listId, sourceId, eventId);
    await this.unitOfWork.run(async (tx) => {
      await tx.calendarEntries.deleteOne(actor.tenantId, list.id, row.id);
      await tx.audit.record(
        actor,
        'calendar_event.delete',
        { type: 'calendar_entry', id: row.id },
        { listId: list.id, sourceId },
      );
    });
  }
}

function windowOf(event: CalendarEvent): { startsAt: Date; endsAt: Date } {
  return { startsAt: instantOfTime(event.start), endsAt: instantOfTime(event.end) };
}

function entryOf(sourceId: string, event: CalendarEvent) {
  return { sourceId, eventKey: event.sourceKey, ...windowOf(event), data: JSON.stringify(event) };
}
