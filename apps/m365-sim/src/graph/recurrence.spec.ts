import { expand, validateRecurrence } from './recurrence';

const until = Date.UTC(2027, 0, 1);

describe('recurrence expansion', () => {
  it('weekly on two days, numbered', () => {
    expect(
      expand(
        {
          pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday', 'thursday'] },
          range: { type: 'numbered', startDate: '2026-06-02', numberOfOccurrences: 4 },
        },
        until,
      ),
    ).toEqual(['2026-06-04', '2026-06-08', '2026-06-11', '2026-06-15']);
  });
  it('every 2 weeks with an end date', () => {
    expect(
      expand(
        {
          pattern: { type: 'weekly', interval: 2, daysOfWeek: ['friday'] },
          range: { type: 'endDate', startDate: '2026-06-05', endDate: '2026-07-03' },
        },
        until,
      ),
    ).toEqual(['2026-06-05', '2026-06-19', '2026-07-03']);
  });
  it('daily, absolute monthly (skips short months), relative monthly, yearly', () => {
    expect(
      expand(
        {
          pattern: { type: 'daily', interval: 3 },
          range: { type: 'numbered', startDate: '2026-01-30', numberOfOccurrences: 3 },
        },
        until,
      ),
    ).toEqual(['2026-01-30', '2026-02-02', '2026-02-05']);
    expect(
      expand(
        {
          pattern: { type: 'absoluteMonthly', interval: 1, dayOfMonth: 31 },
          range: { type: 'numbered', startDate: '2026-01-01', numberOfOccurrences: 3 },
        },
        until,
      ),
    ).toEqual(['2026-01-31', '2026-03-31', '2026-05-31']);
    expect(
      expand(
        {
          pattern: { type: 'relativeMonthly', interval: 1, daysOfWeek: ['monday'], index: 'last' },
          range: { type: 'numbered', startDate: '2026-05-01', numberOfOccurrences: 2 },
        },
        until,
      ),
    ).toEqual(['2026-05-25', '2026-06-29']);
    expect(
      expand(
        {
          pattern: { type: 'absoluteYearly', interval: 1, month: 12, dayOfMonth: 25 },
          range: { type: 'noEnd', startDate: '2025-01-01' },
        },
        until,
      ),
    ).toEqual(['2025-12-25', '2026-12-25']);
  });
  it('validates patterns', () => {
    expect(
      validateRecurrence({
        pattern: { type: 'weekly', interval: 1 },
        range: { type: 'noEnd', startDate: '2026-01-01' },
      }),
    ).toMatch(/daysOfWeek/);
    expect(
      validateRecurrence({
        pattern: { type: 'daily', interval: 0 },
        range: { type: 'noEnd', startDate: '2026-01-01' },
      }),
    ).toMatch(/interval/);
    expect(
      validateRecurrence({
        pattern: { type: 'daily', interval: 1 },
        range: { type: 'endDate', startDate: '2026-01-02', endDate: '2026-01-01' },
      }),
    ).toMatch(/endDate/);
    expect(
      validateRecurrence({
        pattern: { type: 'daily', interval: 1 },
        range: { type: 'noEnd', startDate: '2026-01-01' },
      }),
    ).toBeUndefined();
  });
});
