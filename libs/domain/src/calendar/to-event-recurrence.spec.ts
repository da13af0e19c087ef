import type { RecurrenceRule } from './recurrence-rule';
import { toEventRecurrence } from './to-event-recurrence';

const rule = (parts: Partial<RecurrenceRule>): RecurrenceRule => ({
  freq: 'WEEKLY',
  interval: 1,
  byDay: [],
  byMonthDay: [],
  byMonth: [],
  bySetPos: [],
  otherParts: [],
  ...parts,
});

describe('toEventRecurrence', () => {
  // 2027-01-05 is a Tuesday.
  const start = '2027-01-05';

  it('maps a weekly rule with days, WKST and a count', () => {
    expect(
      toEventRecurrence(
        rule({ byDay: [{ day: 'TU' }, { day: 'TH' }], wkst: 'SU', count: 10, interval: 2 }),
        start,
      ),
    ).toEqual({
      expressible: true,
      recurrence: {
        pattern: {
          type: 'weekly',
          interval: 2,
          daysOfWeek: ['tuesday', 'thursday'],
          firstDayOfWeek: 'sunday',
        },
        range: { type: 'numbered', startDate: start, numberOfOccurrences: 10 },
      },
    });
  });

  it('takes the start day for a weekly rule without BYDAY and ends on UNTIL', () => {
    expect(toEventRecurrence(rule({ untilDate: '2027-06-29' }), start)).toEqual({
      expressible: true,
      recurrence: {
        pattern: { type: 'weekly', interval: 1, daysOfWeek: ['tuesday'], firstDayOfWeek: 'monday' },
        range: { type: 'endDate', startDate: start, endDate: '2027-06-29' },
      },
    });
  });

  it('maps daily, monthly and yearly rules, absolute and relative', () => {
    const pattern = (r: Partial<RecurrenceRule>) => {
      const m = toEventRecurrence(rule(r), start);
      return m.expressible ? m.recurrence.pattern : m.reason;
    };
    expect(pattern({ freq: 'DAILY', interval: 3 })).toEqual({ type: 'daily', interval: 3 });
    expect(
      pattern({
        freq: 'DAILY',
        byDay: ['MO', 'TU', 'WE', 'TH', 'FR'].map((day) => ({ day: day as 'MO' })),
      }),
    ).toMatchObject({
      type: 'weekly',
      daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
    });
    expect(pattern({ freq: 'MONTHLY' })).toEqual({
      type: 'absoluteMonthly',
      interval: 1,
      dayOfMonth: 5,
    });
    expect(pattern({ freq: 'MONTHLY', byMonthDay: [15] })).toEqual({
      type: 'absoluteMonthly',
      interval: 1,
      dayOfMonth: 15,
    });
    expect(pattern({ freq: 'MONTHLY', byDay: [{ day: 'MO', ordinal: 2 }] })).toEqual({
      type: 'relativeMonthly',
      interval: 1,
      daysOfWeek: ['monday'],
      index: 'second',
    });
    expect(pattern({ freq: 'MONTHLY', byDay: [{ day: 'FR', ordinal: -1 }] })).toMatchObject({
      index: 'last',
      daysOfWeek: ['friday'],
    });
    expect(
      pattern({
        freq: 'MONTHLY',
        byDay: ['MO', 'TU', 'WE', 'TH', 'FR'].map((day) => ({ day: day as 'MO' })),
        bySetPos: [1],
      }),
    ).toMatchObject({ type: 'relativeMonthly', index: 'first' });
    expect(pattern({ freq: 'YEARLY' })).toEqual({
      type: 'absoluteYearly',
      interval: 1,
      month: 1,
      dayOfMonth: 5,
    });
    expect(pattern({ freq: 'YEARLY', byMonth: [11], byDay: [{ day: 'TH', ordinal: 4 }] })).toEqual({
      type: 'relativeYearly',
      interval: 1,
      month: 11,
      daysOfWeek: ['thursday'],
      index: 'fourth',
    });
  });

  it.each([
    [{ freq: 'HOURLY' as const }, /FREQ=HOURLY/],
    [{ otherParts: ['BYHOUR'] }, /BYHOUR/],
    [{ freq: 'MONTHLY' as const, byDay: [{ day: 'MO' as const, ordinal: 5 }] }, /BYDAY\/BYSETPOS/],
    [{ freq: 'MONTHLY' as const, byMonthDay: [-1] }, /month end/],
    [{ freq: 'MONTHLY' as const, byMonthDay: [1, 15] }, /several days/],
    [{ freq: 'YEARLY' as const, byMonth: [1, 7] }, /several months/],
    [{ byDay: [{ day: 'MO' as const, ordinal: 1 }] }, /ordinal/],
    [{ count: 3, untilDate: '2027-02-01' }, /COUNT and UNTIL/],
    [{ interval: 100 }, /INTERVAL/],
  ])('refuses what Graph cannot express: %j', (parts, reason) => {
    const m = toEventRecurrence(rule(parts), start);
    expect(m.expressible).toBe(false);
    expect(m.expressible ? '' : m.reason).toMatch(reason);
  });
});
