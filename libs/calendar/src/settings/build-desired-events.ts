import { eventContentHash, type CalendarEvent, type DesiredItem } from '@app/domain';
import { holidayEvents } from '../holidays/holiday-events';
import type { CalendarListSettings } from './calendar-list-settings';

/** What one source gave for a run (read by the caller: feeds fetched, entries loaded). */
export interface SourceEvents {
  sourceId: string;
  events: CalendarEvent[];
}

/**
 * The events a calendar list wants in every targeted mailbox: each source's events within the
 * window, the list's show-as and reminder applied (holidays stay free), the category of a
 * default-calendar list added, keyed `<sourceId>:<sourceKey>` so two sources never collide, and
 * hashed with the list's destination as salt (moving the list re-writes every event).
 */
export function buildDesiredEvents(
  settings: CalendarListSettings,
  read: readonly SourceEvents[],
  window: { start: Date; end: Date },
): DesiredItem<CalendarEvent>[] {
  const category =
    settings.destination?.kind === 'default' ? settings.destination.category : undefined;
  const salt = category ? `category:${category}` : '';
  const out = new Map<string, DesiredItem<CalendarEvent>>();
  const years = yearsOf(window);
  const all: Array<{ sourceId: string; event: CalendarEvent; keepShowAs: boolean }> = [];
  for (const source of settings.sources) {
    if (source.kind === 'holidays') {
      for (const event of holidayEvents({ ...source, years }))
        all.push({ sourceId: source.id, event, keepShowAs: true });
    }
  }
  // Manual events were entered with their own show-as and reminder; other sources take the list's.
  const manual = new Set(settings.sources.filter((s) => s.kind === 'manual').map((s) => s.id));
  for (const r of read)
    for (const event of r.events)
      all.push({ sourceId: r.sourceId, event, keepShowAs: manual.has(r.sourceId) });

  for (const { sourceId, event, keepShowAs } of all) {
    if (!inWindow(event, window)) continue;
    const value: CalendarEvent = {
      ...event,
      sourceKey: `${sourceId}:${event.sourceKey}`,
      showAs: keepShowAs ? event.showAs : settings.showAs,
      isReminderOn: keepShowAs ? event.isReminderOn : settings.isReminderOn,
      ...(category ? { categories: [category] } : {}),
    };
    out.set(value.sourceKey, {
      sourceKey: value.sourceKey,
      value,
      contentHash: eventContentHash(value, { salt }),
    });
  }
  return [...out.values()];
}

function yearsOf(window: { start: Date; end: Date }): number[] {
  const years: number[] = [];
  for (let y = window.start.getUTCFullYear(); y <= window.end.getUTCFullYear(); y++) years.push(y);
  return years;
}

/** A series is kept whole when it starts before the window ends (the source cut it to the window). */
function inWindow(event: CalendarEvent, window: { start: Date; end: Date }): boolean {
  const at = (t: CalendarEvent['start']) =>
    Date.parse(t.kind === 'date' ? `${t.date}T00:00:00Z` : `${t.local}Z`);
  if (at(event.start) >= window.end.getTime() + 86_400_000) return false;
  if (event.recurrence) return true;
  return at(event.end) + 86_400_000 > window.start.getTime();
}
