import { recurrenceDates } from './recurrence-dates';

describe('recurrenceDates', () => {
  it('weekly every other Monday, numbered', () => {
    expect(
      recurrenceDates(
        {
          pattern: {
            type: 'weekly',
            interval: 2,
            daysOfWeek: ['monday'],
            firstDayOfWeek: 'sunday',
          },
          range: { type: 'numbered', startDate: '2027-03-01', numberOfOccurrences: 3 },
        },
        '2028-01-01',
      ),
    ).toEqual(['2027-03-01', '2027-03-15', '2027-03-29']);
  });

  it('relative monthly (last Friday) up to an end date, and cut at untilDate', () => {
    const r = {
      pattern: {
        type: 'relativeMonthly' as const,
        interval: 1,
        daysOfWeek: ['friday' as const],
        index: 'last' as const,
      },
      range: { type: 'endDate' as const, startDate: '2027-01-29', endDate: '2027-04-30' },
    };
    expect(recurrenceDates(r, '2028-01-01')).toEqual([
      '2027-01-29',
      '2027-02-26',
      '2027-03-26',
      '2027-04-30',
    ]);
    expect(recurrenceDates(r, '2027-03-26')).toEqual(['2027-01-29', '2027-02-26']);
  });

  it('daily every third day and yearly on a date', () => {
    expect(
      recurrenceDates(
        {
          pattern: { type: 'daily', interval: 3 },
          range: { type: 'noEnd', startDate: '2027-02-26' },
        },
        '2027-03-06',
      ),
    ).toEqual(['2027-02-26', '2027-03-01', '2027-03-04']);
    expect(
      recurrenceDates(
        {
          pattern: { type: 'absoluteYearly', interval: 1, month: 12, dayOfMonth: 24 },
          range: { type: 'noEnd', startDate: '2026-12-24' },
        },
        '2029-01-01',
      ),
    ).toEqual(['2026-12-24', '2027-12-24', '2028-12-24']);
  });
});
