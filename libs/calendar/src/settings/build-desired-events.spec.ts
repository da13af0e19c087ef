import type { CalendarEvent } from '@app/domain';
import { buildDesiredEvents } from './build-desired-events';
import { calendarListSettingsSchema, syncWindowOf } from './calendar-list-settings';

const meeting = (key: string, day: string): CalendarEvent => ({
  sourceKey: key,
  subject: `Meeting ${key}`,
  start: { kind: 'dateTime', local: `${day}T09:00:00`, timeZone: 'Europe/Berlin' },
  end: { kind: 'dateTime', local: `${day}T10:00:00`, timeZone: 'Europe/Berlin' },
  isAllDay: false,
  showAs: 'tentative',
  isReminderOn: true,
});

describe('calendar list settings and desired events', () => {
  it('validates settings naming each bad field, with defaults for the rest', () => {
    const bad = calendarListSettingsSchema.safeParse({
      sources: [
        { id: 'h', kind: 'holidays', country: 'Germany' },
        { id: 'h', kind: 'ics-feed', url: 'http://example.com/cal.ics' },
      ],
      window: { monthsBack: 30 },
    });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'sources.0.country',
      'sources.1.id',
      'sources.1.url',
      'window.monthsBack',
    ]);
    const ok = calendarListSettingsSchema.parse({ sources: [{ id: 'm', kind: 'manual' }] });
    expect(ok).toMatchObject({
      window: { monthsBack: 6, monthsAhead: 18 },
      showAs: 'busy',
      isReminderOn: false,
    });
  });

  it('slides the window with time', () => {
    const settings = calendarListSettingsSchema.parse({ sources: [{ id: 'm', kind: 'manual' }] });
    expect(syncWindowOf(settings, new Date('2027-03-15T12:00:00Z'))).toEqual({
      start: new Date('2026-09-01T00:00:00Z'),
      end: new Date('2028-10-01T00:00:00Z'),
    });
  });

  it('keys events by source, applies show-as and reminder, keeps holidays free, and leaves out what is outside the window', () => {
    const settings = calendarListSettingsSchema.parse({
      sources: [
        { id: 'hol', kind: 'holidays', country: 'DE', state: 'BY', language: 'de' },
        { id: 'up', kind: 'ics-upload' },
      ],
      destination: { kind: 'default', category: 'Company' },
    });
    const window = {
      start: new Date('2027-01-01T00:00:00Z'),
      end: new Date('2027-12-31T00:00:00Z'),
    };
    const desired = buildDesiredEvents(
      settings,
      [{ sourceId: 'up', events: [meeting('a', '2027-02-01'), meeting('old', '2020-02-01')] }],
      window,
    );
    const upload = desired.filter((d) => d.sourceKey.startsWith('up:'));
    expect(upload.map((d) => d.sourceKey)).toEqual(['up:a']);
    expect(upload[0]!.value).toMatchObject({
      showAs: 'busy',
      isReminderOn: false,
      categories: ['Company'],
    });
    const holidays = desired.filter((d) => d.sourceKey.startsWith('hol:'));
    expect(holidays).toHaveLength(12);
    expect(holidays.every((h) => h.value.showAs === 'free' && h.value.isAllDay)).toBe(true);
    // The destination is part of the hash: moving the list re-writes its events.
    const elsewhere = buildDesiredEvents(
      { ...settings, destination: { kind: 'calendar', name: 'Company' } },
      [{ sourceId: 'up', events: [meeting('a', '2027-02-01')] }],
      window,
    );
    expect(elsewhere.find((d) => d.sourceKey === 'up:a')!.contentHash).not.toBe(
      upload[0]!.contentHash,
    );
  });
});
