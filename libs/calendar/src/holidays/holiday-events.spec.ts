import { holidayEvents, HOLIDAY_DATA_ATTRIBUTION } from './holiday-events';

describe('holidayEvents', () => {
  // Written out here, not read back from the library.
  const BAVARIA_2027 = [
    ['2027-01-01', 'Neujahr'],
    ['2027-01-06', 'Heilige Drei Könige'],
    ['2027-03-26', 'Karfreitag'],
    ['2027-03-29', 'Ostermontag'],
    ['2027-05-01', 'Maifeiertag'],
    ['2027-05-06', 'Christi Himmelfahrt'],
    ['2027-05-17', 'Pfingstmontag'],
    ['2027-05-27', 'Fronleichnam'],
    ['2027-10-03', 'Tag der Deutschen Einheit'],
    ['2027-11-01', 'Allerheiligen'],
    ['2027-12-25', '1. Weihnachtstag'],
    ['2027-12-26', '2. Weihnachtstag'],
  ];

  it('DE-BY 2027: the public holidays as all-day free events on their dates, in German', () => {
    const events = holidayEvents({ country: 'DE', state: 'BY', language: 'de', years: [2027] });
    expect(
      events.map((e) => [e.start.kind === 'date' ? e.start.date : e.start, e.subject]),
    ).toEqual(BAVARIA_2027);
    for (const e of events) {
      expect(e).toMatchObject({ isAllDay: true, showAs: 'free', isReminderOn: false });
      const day = (e.start as { date: string }).date;
      const next = new Date(`${day}T00:00:00Z`);
      next.setUTCDate(next.getUTCDate() + 1);
      expect(e.end).toEqual({ kind: 'date', date: next.toISOString().slice(0, 10) });
      expect(e.body).toContain(HOLIDAY_DATA_ATTRIBUTION);
    }
    expect(new Set(events.map((e) => e.sourceKey)).size).toBe(events.length);
  });

  it('DE-BY-KATH (predominantly Catholic communes) adds Mariä Himmelfahrt on 15 August: 13', () => {
    const events = holidayEvents({
      country: 'DE',
      state: 'BY',
      region: 'KATH',
      language: 'de',
      years: [2027],
    });
    expect(events).toHaveLength(13);
    expect(events.map((e) => (e.start as { date: string }).date)).toContain('2027-08-15');
    expect(events.find((e) => (e.start as { date: string }).date === '2027-08-15')?.subject).toBe(
      'Mariä Himmelfahrt',
    );
  });

  it('names in another language keep the same source keys (a language switch rewrites, never re-creates)', () => {
    const de = holidayEvents({ country: 'DE', state: 'BY', language: 'de', years: [2027] });
    const en = holidayEvents({ country: 'DE', state: 'BY', language: 'en', years: [2027] });
    expect(en.map((e) => e.sourceKey)).toEqual(de.map((e) => e.sourceKey));
    expect(en[0]!.subject).toBe("New Year's Day");
  });

  it('a half-day bank holiday is a timed event in the region zone, only when chosen', () => {
    const events = holidayEvents({
      country: 'DE',
      state: 'BY',
      language: 'de',
      types: ['bank'],
      years: [2027],
    });
    expect(events.find((e) => e.subject === 'Heiliger Abend')).toMatchObject({
      isAllDay: false,
      start: { kind: 'dateTime', local: '2027-12-24T14:00:00', timeZone: 'Europe/Berlin' },
      end: { kind: 'dateTime', local: '2027-12-25T00:00:00', timeZone: 'Europe/Berlin' },
    });
  });

  it('refuses an unknown country or region with a coded error', () => {
    expect(() => holidayEvents({ country: 'XX', years: [2027] })).toThrow(
      expect.objectContaining({ code: 'holiday_region_unknown', status: 400 }),
    );
  });
});
