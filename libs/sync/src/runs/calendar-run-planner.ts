import { buildDesiredEvents, syncWindowOf, type SourceEvents } from '@app/calendar';
import { CodedError, type CalendarEvent } from '@app/domain';
import type { CalendarEntryRepository, CalendarListRepository } from '@app/persistence';
import { parseCalendarListSettings } from '../settings/calendar-sync-settings';
import type { CalendarFeedSource } from '../sources/calendar-feed-source';
import type { SourceCalendarReader } from '../sources/calendar-source-reader';
import type { ListPlan, ListPlanContext, ListRunPlanner, PlannedList } from './list-run-planner';

/**
 * Calendar lists: holidays (from the library, per run), uploaded and manual events (the list's
 * entries), feeds (fetched conditionally, kept as entries) and a source mailbox's calendar, all
 * within the list's window as it stands today, into the desired events.
 */
export class CalendarRunPlanner implements ListRunPlanner {
  readonly kind = 'calendar' as const;

  constructor(
    private readonly lists: CalendarListRepository,
    private readonly entries: CalendarEntryRepository,
    private readonly feeds: CalendarFeedSource,
    private readonly mailboxCalendars: SourceCalendarReader | undefined,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  find(tenantId: string, listId: string): Promise<PlannedList | null> {
    return this.lists.findInTenant(tenantId, listId);
  }

  async plan(context: ListPlanContext): Promise<ListPlan> {
    const { tenant, list } = context;
    const settings = parseCalendarListSettings(list.settings);
    const now = this.clock();
    const window = syncWindowOf(settings, now);
    const read: SourceEvents[] = [];
    for (const source of settings.sources) {
      if (source.kind === 'ics-feed')
        await this.feeds.refresh(tenant.id, list.id, source, settings, now);
      if (source.kind === 'mailbox-calendar') {
        if (!this.mailboxCalendars)
          throw new CodedError(
            'NOT_CONFIGURED',
            'reading a source mailbox calendar needs Microsoft Graph (MICROSOFT_CLIENT_ID)',
          );
        read.push({
          sourceId: source.id,
          events: await this.mailboxCalendars.read(
            tenant,
            source.mailboxId,
            source.calendarName,
            window,
          ),
        });
      }
    }
    // Uploads, manual events and feeds (refreshed above) are the list's entries.
    const stored = new Map<string, CalendarEvent[]>();
    for (const row of await this.entries.entries(tenant.id, list.id)) {
      const events = stored.get(row.sourceId) ?? [];
      events.push(JSON.parse(row.data) as CalendarEvent);
      stored.set(row.sourceId, events);
    }
    for (const source of settings.sources) {
      const events = stored.get(source.id);
      if (events && source.kind !== 'holidays' && source.kind !== 'mailbox-calendar')
        read.push({ sourceId: source.id, events });
    }
    const desired = buildDesiredEvents(settings, read, window);
    return {
      items: desired.map((item) => ({
        sourceKey: item.sourceKey,
        contentHash: item.contentHash,
        content: item.value,
      })),
      // "52 events (3 series)": a series is one item, however many occurrences it has.
      noun: `events (${desired.filter((d) => d.value.recurrence).length} series)`,
      reach: { shared: false, resources: false },
    };
  }
}
