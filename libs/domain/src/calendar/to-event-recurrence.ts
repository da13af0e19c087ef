import type { DayOfWeek, EventRecurrence, WeekIndex } from './event-recurrence';
import type { RecurrenceRule, RuleDay } from './recurrence-rule';

const DAY: Record<RuleDay, DayOfWeek> = {
  SU: 'sunday',
  MO: 'monday',
  TU: 'tuesday',
  WE: 'wednesday',
  TH: 'thursday',
  FR: 'friday',
  SA: 'saturday',
};
const INDEX: Record<number, WeekIndex> = {
  1: 'first',
  2: 'second',
  3: 'third',
  4: 'fourth',
  [-1]: 'last',
};
const DAY_OF_DATE: RuleDay[] = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

export type RecurrenceMapping =
  { expressible: true; recurrence: EventRecurrence } | { expressible: false; reason: string };

/**
 * Maps an RRULE onto the recurrence model Graph (and EWS) offer — or says why it cannot, so the
 * caller expands the series into single events instead. `startDate` is the series' first day in
 * its own zone (`YYYY-MM-DD`).
 */
export function toEventRecurrence(rule: RecurrenceRule, startDate: string): RecurrenceMapping {
  const no = (reason: string): RecurrenceMapping => ({ expressible: false, reason });
  if (rule.otherParts.length) return no(`${rule.otherParts.join(', ')} has no equivalent`);
  if (!['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'].includes(rule.freq))
    return no(`FREQ=${rule.freq} has no equivalent`);
  if (rule.count !== undefined && rule.untilDate !== undefined)
    return no('COUNT and UNTIL together');
  const interval = rule.interval;
  if (!Number.isInteger(interval) || interval < 1 || interval > 99)
    return no(`INTERVAL=${interval} is outside 1-99`);
  const [year, month, day] = startDate.split('-').map(Number);
  const startDay = DAY_OF_DATE[new Date(Date.UTC(year, month - 1, day)).getUTCDay()];
  const plainDays = rule.byDay.every((d) => d.ordinal === undefined);
  const days = (list = rule.byDay) => list.map((d) => DAY[d.day]);
  const weekIndex = (n: number | undefined): WeekIndex | undefined =>
    n === undefined ? undefined : INDEX[n];

  let pattern: EventRecurrence['pattern'] | undefined;
  switch (rule.freq) {
    case 'DAILY':
      if (rule.byMonthDay.length || rule.byMonth.length || rule.bySetPos.length)
        return no('DAILY with BYMONTHDAY, BYMONTH or BYSETPOS');
      if (!rule.byDay.length) pattern = { type: 'daily', interval };
      else if (interval === 1 && plainDays)
        // Every day but the ones left out is a weekly rule on the days kept.
        pattern = {
          type: 'weekly',
          interval: 1,
          daysOfWeek: days(),
          firstDayOfWeek: DAY[rule.wkst ?? 'MO'],
        };
      else return no('DAILY with BYDAY and an interval');
      break;
    case 'WEEKLY':
      if (rule.byMonthDay.length || rule.byMonth.length || rule.bySetPos.length)
        return no('WEEKLY with BYMONTHDAY, BYMONTH or BYSETPOS');
      if (!plainDays) return no('WEEKLY with an ordinal BYDAY');
      pattern = {
        type: 'weekly',
        interval,
        daysOfWeek: rule.byDay.length ? days() : [DAY[startDay]],
        firstDayOfWeek: DAY[rule.wkst ?? 'MO'],
      };
      break;
    case 'MONTHLY': {
      if (rule.byMonth.length) return no('MONTHLY with BYMONTH');
      const relative = relativeDays(rule);
      if (relative === 'refused') return no('MONTHLY with a BYDAY/BYSETPOS combination');
      if (relative) {
        if (rule.byMonthDay.length) return no('MONTHLY with both BYDAY and BYMONTHDAY');
        pattern = { type: 'relativeMonthly', interval, ...relative };
      } else if (rule.byMonthDay.length > 1) return no('MONTHLY on several days of the month');
      else {
        const dayOfMonth = rule.byMonthDay[0] ?? day;
        if (dayOfMonth < 1) return no('MONTHLY counted from the month end');
        pattern = { type: 'absoluteMonthly', interval, dayOfMonth };
      }
      break;
    }
    case 'YEARLY': {
      if (rule.byMonth.length > 1) return no('YEARLY in several months');
      const inMonth = rule.byMonth[0] ?? month;
      const relative = relativeDays(rule);
      if (relative === 'refused') return no('YEARLY with a BYDAY/BYSETPOS combination');
      if (relative) {
        if (rule.byMonthDay.length) return no('YEARLY with both BYDAY and BYMONTHDAY');
        if (!rule.byMonth.length) return no('YEARLY by weekday without BYMONTH');
        pattern = { type: 'relativeYearly', interval, month: inMonth, ...relative };
      } else if (rule.byMonthDay.length > 1) return no('YEARLY on several days of the month');
      else {
        const dayOfMonth = rule.byMonthDay[0] ?? day;
        if (dayOfMonth < 1) return no('YEARLY counted from the month end');
        pattern = { type: 'absoluteYearly', interval, month: inMonth, dayOfMonth };
      }
      break;
    }
  }
  if (!pattern) return no(`FREQ=${rule.freq} has no equivalent`);
  const range: EventRecurrence['range'] =
    rule.count !== undefined
      ? { type: 'numbered', startDate, numberOfOccurrences: rule.count }
      : rule.untilDate !== undefined
        ? { type: 'endDate', startDate, endDate: rule.untilDate }
        : { type: 'noEnd', startDate };
  return { expressible: true, recurrence: { pattern, range } };

  /** BYDAY=2MO, or BYDAY=MO,TU…;BYSETPOS=n: "the n-th of these days" (n 1-4 or -1). */
  function relativeDays(
    r: RecurrenceRule,
  ): { daysOfWeek: DayOfWeek[]; index: WeekIndex } | 'refused' | undefined {
    if (!r.byDay.length) return r.bySetPos.length ? 'refused' : undefined;
    if (r.bySetPos.length) {
      const index = r.bySetPos.length === 1 ? weekIndex(r.bySetPos[0]) : undefined;
      if (!plainDays || !index) return 'refused';
      return { daysOfWeek: days(), index };
    }
    if (r.byDay.length !== 1) return 'refused';
    const index = weekIndex(r.byDay[0].ordinal);
    if (!index) return 'refused';
    return { daysOfWeek: [DAY[r.byDay[0].day]], index };
  }
}
