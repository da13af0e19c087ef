import { createHash } from 'node:crypto';
import {
  approximateInstantOf,
  CalendarFeedFetcher,
  ICalendarInvalid,
  parseListIcs,
  type CalendarListSettings,
  type FeedValidators,
} from '@app/calendar';
import { CodedError, type CalendarEvent } from '@app/domain';
import type {
  CalendarEntryInput,
  CalendarEntryRepository,
  SourceStateRepository,
} from '@app/persistence';

/** Parsed events as the stored entries of one source of a calendar list. */
export function entriesOfEvents(
  sourceId: string,
  events: readonly CalendarEvent[],
): CalendarEntryInput[] {
  return events.map((event) => ({
    sourceId,
    eventKey: event.sourceKey,
    startsAt: approximateInstantOf(event.start),
    endsAt: approximateInstantOf(event.end),
    data: JSON.stringify(event),
  }));
}

/**
 * An iCalendar feed source at run time: a conditional GET with what the last fetch left (a 304
 * costs that one request), a changed feed parsed all or nothing and kept as the source's entries
 * (sealed, like an upload), so an unchanged feed plans from what was stored. The validators are
 * saved after the entries: a crash between them fetches the feed again.
 */
export class CalendarFeedSource {
  constructor(
    private readonly fetcher: CalendarFeedFetcher,
    private readonly entries: CalendarEntryRepository,
    private readonly states: SourceStateRepository,
  ) {}

  /** Brings the stored entries of the feed up to date; throws calendar_feed_* coded errors. */
  async refresh(
    tenantId: string,
    listId: string,
    source: { id: string; url: string },
    settings: CalendarListSettings,
    /** The run's day: the list's window as it stands then. */
    now: Date,
  ): Promise<'unchanged' | { events: number }> {
    // Keyed by the URL too: a new address never answers with the old one's validators.
    const stateKey = `calfeed:${listId}:${createHash('sha256').update(`${source.id}\n${source.url}`).digest('hex').slice(0, 16)}`;
    const state = await this.states.find(tenantId, stateKey);
    const validators = state?.deltaLink ? (JSON.parse(state.deltaLink) as FeedValidators) : {};
    const fetched = await this.fetcher.fetch(source.url, validators);
    if (fetched.kind === 'unchanged') return 'unchanged';
    let events: CalendarEvent[];
    try {
      events = parseListIcs(fetched.text, settings, now).events;
    } catch (error) {
      if (error instanceof ICalendarInvalid)
        throw new CodedError(
          'calendar_feed_invalid',
          `the feed of source "${source.id}" is not valid iCalendar: line ${error.line}: ${error.reason}`,
          { details: { sourceId: source.id, line: error.line } },
        );
      throw error;
    }
    await this.entries.replaceSource(
      tenantId,
      listId,
      source.id,
      entriesOfEvents(source.id, events),
    );
    await this.states.saveDeltaLink(state, tenantId, stateKey, JSON.stringify(fetched.validators));
    return { events: events.length };
  }
}
