import {
  calendarListSettingsSchema,
  ICalendarInvalid,
  parseListIcs,
  type CalendarListSettings,
} from '@app/calendar';
import { CalendarListEntity, CalendarListRepository, UnitOfWork } from '@app/persistence';
import { SyncQueues } from '@app/queue';
import { entriesOfEvents } from '@app/sync';
import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod/v4';
import type { Actor } from './actor';
import { afterListRetired, retireListInTransaction } from './retire-list';
import type { PageInput } from './schemas';
import { Conflict, NotFound, ValidationFailed, type FieldProblem } from './validation';

export const createCalendarListSchema = z.strictObject({
  name: z.string().trim().min(1, 'required').max(200, 'at most 200 characters'),
  description: z.string().max(2000, 'at most 2000 characters').nullable().optional(),
  enabled: z.boolean().optional(),
  /** Checked in depth by calendarListSettingsSchema (sources, window, destination, show-as). */
  settings: z
    .record(z.string(), z.unknown())
    .refine((s) => JSON.stringify(s).length <= 100_000, 'at most 100,000 characters of JSON'),
});
export type CreateCalendarListInput = z.output<typeof createCalendarListSchema>;

export const updateCalendarListSchema = createCalendarListSchema
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'at least one field to change');
export type UpdateCalendarListInput = z.output<typeof updateCalendarListSchema>;

export interface CalendarListView {
  id: string;
  name: string;
  description: string | null;
  enabled: boolean;
  settings: CalendarListSettings;
  createdAt: Date;
  updatedAt: Date;
}

/** What an uploaded iCalendar file became. */
export interface CalendarUploadResult {
  sourceId: string;
  events: number;
  series: number;
  /** Series Graph cannot express, pushed as single events within the window. */
  expanded: Array<{ uid: string; subject: string; reason: string; occurrences: number }>;
  cancelled: number;
  replaced: number;
}

function settingsOf(raw: unknown): CalendarListSettings {
  const parsed = calendarListSettingsSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems: FieldProblem[] = parsed.error.issues.map((i) => ({
    field: ['settings', ...i.path].join('.'),
    message: i.message,
  }));
  throw new ValidationFailed(problems);
}

function view(list: CalendarListEntity): CalendarListView {
  return {
    id: list.id,
    name: list.name,
    description: list.description,
    enabled: list.enabled,
    settings: JSON.parse(list.settings) as CalendarListSettings,
    createdAt: list.createdAt,
    updatedAt: list.updatedAt,
  };
}

/**
 * Calendar lists of one tenant (issue #20): their settings, and the events kept as entries (an
 * uploaded iCalendar file is parsed and stored all or nothing, sealed). Every query takes the
 * caller's tenant. Targets, schedule and runs are the contact lists' services with the kind
 * `calendar` (ADR 0036); manual events are CalendarEventsService's.
 */
@Injectable()
export class CalendarListsService {
  constructor(
    @Inject(CalendarListRepository) private readonly lists: CalendarListRepository,
    @Inject(UnitOfWork) private readonly unitOfWork: UnitOfWork,
    @Inject(SyncQueues) private readonly queues: SyncQueues,
  ) {}

  async list(
    tenantId: string,
    page: PageInput,
  ): Promise<{ items: CalendarListView[]; total: number }> {
    const [rows, total] = await this.lists.page(tenantId, page);
    return { items: rows.map(view), total };
  }

  async get(tenantId: string, id: string): Promise<CalendarListView> {
    const list = await this.lists.findInTenant(tenantId, id.toLowerCase());
    if (!list) throw new NotFound('calendar list');
    return view(list);
  }

  async create(actor: Actor, input: CreateCalendarListInput): Promise<CalendarListView> {
    const settings = settingsOf(input.settings);
    const nameKey = input.name.trim().toLowerCase();
    return this.unitOfWork.run(async (tx) => {
      if (await tx.calendarLists.findByNameKey(actor.tenantId, nameKey))
        throw new Conflict('a calendar list with this name exists', [
          { field: 'name', message: 'already used by another calendar list (names ignore case)' },
        ]);
      const list = Object.assign(new CalendarListEntity(), {
        tenantId: actor.tenantId,
        name: input.name.trim(),
        nameKey,
        description: input.description ?? null,
        enabled: input.enabled ?? true,
        timeZone: 'UTC',
        settings: JSON.stringify(settings),
      });
      await tx.calendarLists.insert(list);
      await tx.audit.record(
        actor,
        'calendar_list.create',
        { type: 'calendar_list', id: list.id },
        { name: list.name },
      );
      return view(list);
    });
  }

  async update(
    actor: Actor,
    id: string,
    input: UpdateCalendarListInput,
  ): Promise<CalendarListView> {
    const settings = input.settings !== undefined ? settingsOf(input.settings) : undefined;
    return this.unitOfWork.run(async (tx) => {
      const list = await tx.calendarLists.findInTenant(actor.tenantId, id.toLowerCase());
      if (!list) throw new NotFound('calendar list');
      if (input.name !== undefined) {
        const nameKey = input.name.trim().toLowerCase();
        const other = await tx.calendarLists.findByNameKey(actor.tenantId, nameKey);
        if (other && other.id !== list.id)
          throw new Conflict('a calendar list with this name exists', [
            { field: 'name', message: 'already used by another calendar list (names ignore case)' },
          ]);
        list.name = input.name.trim();
        list.nameKey = nameKey;
      }
      if (input.description !== undefined) list.description = input.description;
      if (input.enabled !== undefined) list.enabled = input.enabled;
      if (settings) list.settings = JSON.stringify(settings);
      await tx.calendarLists.save(list);
      await tx.audit.record(
        actor,
        'calendar_list.update',
        { type: 'calendar_list', id: list.id },
        { fields: Object.keys(input) },
      );
      return view(list);
    });
  }

  /**
   * Deletes the calendar list with its targets, schedule and stored events, leaving a tombstone:
   * the worker then removes exactly our events from every mailbox the list wrote to, as for a
   * deleted contact list (GET /api/list-cleanups/:id shows the progress).
   */
  async remove(actor: Actor, id: string): Promise<void> {
    const { scheduleIds, listId } = await this.unitOfWork.run(async (tx) => {
      const list = await tx.calendarLists.findInTenant(actor.tenantId, id.toLowerCase());
      if (!list) throw new NotFound('calendar list');
      const scheduleIds = await retireListInTransaction(tx, {
        tenantId: actor.tenantId,
        id: list.id,
        name: list.name,
        kind: 'calendar',
      });
      await tx.calendarLists.deleteInTenant(actor.tenantId, list.id);
      await tx.audit.record(
        actor,
        'calendar_list.delete',
        { type: 'calendar_list', id: list.id },
        { name: list.name },
      );
      return { scheduleIds, listId: list.id };
    });
    await afterListRetired(this.queues, actor.tenantId, listId, scheduleIds);
  }

  /**
   * Replaces the events of one `ics-upload` source with an iCalendar file: parsed first (a bad
   * file answers 400 with the line and the reason, and nothing is stored), then stored all at
   * once, sealed. Only events touching the list's window are kept.
   */
  async uploadIcs(
    actor: Actor,
    id: string,
    sourceId: string,
    text: unknown,
    now = new Date(),
  ): Promise<CalendarUploadResult> {
    const list = await this.lists.findInTenant(actor.tenantId, id.toLowerCase());
    if (!list) throw new NotFound('calendar list');
    const settings = JSON.parse(list.settings) as CalendarListSettings;
    const source = settings.sources.find((s) => s.id === sourceId);
    if (!source || source.kind !== 'ics-upload')
      throw new ValidationFailed([
        { field: 'sourceId', message: 'not an ics-upload source of this calendar list' },
      ]);
    if (typeof text !== 'string' || text.trim().length === 0)
      throw new ValidationFailed([
        { field: '(body)', message: 'expected a non-empty text/calendar body' },
      ]);
    let parsed;
    try {
      parsed = parseListIcs(text, settings, now);
    } catch (error) {
      if (error instanceof ICalendarInvalid)
        throw new ValidationFailed([
          { field: '(body)', message: `line ${error.line}: ${error.reason}` },
        ]);
      throw error;
    }
    const entries = entriesOfEvents(sourceId, parsed.events);
    const { removed } = await this.unitOfWork.run(async (tx) => {
      const result = await tx.calendarEntries.replaceSource(
        actor.tenantId,
        list.id,
        sourceId,
        entries,
      );
      await tx.audit.record(
        actor,
        'calendar_list.upload_ics',
        { type: 'calendar_list', id: list.id },
        { sourceId, events: entries.length, bytes: Buffer.byteLength(text, 'utf8') },
      );
      return result;
    });
    return {
      sourceId,
      events: parsed.events.length,
      series: parsed.events.filter((e) => e.recurrence).length,
      expanded: parsed.expanded,
      cancelled: parsed.cancelled,
      replaced: removed,
    };
  }
}
