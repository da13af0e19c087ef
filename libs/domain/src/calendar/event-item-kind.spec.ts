import type { CalendarEvent } from './calendar-event';
import { eventContentHash } from './event-content-hash';
import { changedEventFields, eventItemKind } from './event-item-kind';

const event = (over: Partial<CalendarEvent> = {}): CalendarEvent => ({
  sourceKey: 'ics:a',
  subject: 'Stand-up',
  start: { kind: 'dateTime', local: '2027-01-05T09:00:00', timeZone: 'America/New_York' },
  end: { kind: 'dateTime', local: '2027-01-05T09:30:00', timeZone: 'America/New_York' },
  isAllDay: false,
  showAs: 'busy',
  isReminderOn: false,
  ...over,
});

describe('events as an item kind', () => {
  it('hashes stably across exception and category order, and changes with any synced field', () => {
    const cancelled = (day: string) => ({
      kind: 'cancelled' as const,
      originalStart: {
        kind: 'dateTime' as const,
        local: `2027-01-${day}T09:00:00`,
        timeZone: 'America/New_York',
      },
    });
    const a = event({ exceptions: [cancelled('12'), cancelled('19')], categories: ['b', 'a'] });
    const b = event({ exceptions: [cancelled('19'), cancelled('12')], categories: ['a', 'b'] });
    expect(eventContentHash(a)).toBe(eventContentHash(b));
    expect(eventContentHash(event())).not.toBe(eventContentHash(event({ subject: 'Standup' })));
    expect(eventContentHash(event())).not.toBe(eventContentHash(event({ showAs: 'free' })));
    expect(eventContentHash(event())).not.toBe(eventContentHash(event(), { salt: 'category:x' }));
    // The source key is not content.
    expect(eventContentHash(event())).toBe(eventContentHash(event({ sourceKey: 'ics:b' })));
  });

  it('names the fields that changed, and writes the whole event', () => {
    const moved = event({
      start: { kind: 'dateTime', local: '2027-01-05T10:00:00', timeZone: 'America/New_York' },
    });
    expect(changedEventFields(event(), moved)).toEqual(['start']);
    const plan = eventItemKind
      .diff({})
      .planUpdate(
        { sourceKey: 'ics:a', value: moved, contentHash: 'h' },
        { itemId: 'i', listId: 'l', sourceKey: 'ics:a' },
      );
    expect(eventItemKind.patchOf(plan)).toBe(moved);
    expect(eventItemKind.needsCurrent(plan)).toBe(false);
    expect(eventItemKind.nameOf(moved)).toBe('Stand-up');
  });

  it('notes an event a series became (its rule has no Graph equivalent), outside the content hash', () => {
    const single = event({ expandedFrom: { reason: 'several RRULEs' } });
    expect(eventItemKind.noteOf!(single)).toMatch(
      /series .*no Graph equivalent \(several RRULEs\)/,
    );
    expect(eventItemKind.noteOf!(event())).toBeUndefined();
    expect(eventContentHash(single)).toBe(eventContentHash(event()));
  });
});
