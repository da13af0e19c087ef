import type { DayOfWeek, EventRecurrence } from '@app/domain';

const DAYS: DayOfWeek[] = [
  'sunday',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
];
const DAY_MS = 86_400_000;

const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
const dateOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

function monthLength(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** Whether the day is the pattern's `index`-th (or last) of its weekday in its month. */
function isNthWeekday(d: Date, index: string): boolean {
  const day = d.getUTCDate();
  if (index === 'last') return day + 7 > monthLength(d.getUTCFullYear(), d.getUTCMonth() + 1);
  return Math.ceil(day / 7) === ['first', 'second', 'third', 'fourth'].indexOf(index) + 1;
}

/**
 * The local dates on which a recurrence (Graph's patternedRecurrence, in the event's zone) has
 * an occurrence, from its start up to `untilDate` (exclusive): what the series holds before any
 * of its occurrences is moved or deleted. Dates only: occurrences start at the master's time.
 */
export function recurrenceDates(recurrence: EventRecurrence, untilDate: string): string[] {
  const { pattern, range } = recurrence;
  const first = dayNumber(range.startDate);
  const last = Math.min(
    dayNumber(untilDate) - 1,
    range.type === 'endDate' ? dayNumber(range.endDate) : Number.POSITIVE_INFINITY,
  );
  const limit = range.type === 'numbered' ? range.numberOfOccurrences : Number.POSITIVE_INFINITY;
  const start = new Date(first * DAY_MS);
  const monthsFrom = (d: Date) =>
    (d.getUTCFullYear() - start.getUTCFullYear()) * 12 + d.getUTCMonth() - start.getUTCMonth();
  const weekStartDay = (day: number, firstDay: DayOfWeek) => {
    const offset = (new Date(day * DAY_MS).getUTCDay() - DAYS.indexOf(firstDay) + 7) % 7;
    return day - offset;
  };
  const out: string[] = [];
  for (let day = first; day <= last && out.length < limit; day++) {
    const d = new Date(day * DAY_MS);
    const weekday = DAYS[d.getUTCDay()];
    let hit = false;
    switch (pattern.type) {
      case 'daily':
        hit = (day - first) % pattern.interval === 0;
        break;
      case 'weekly': {
        const weeks =
          (weekStartDay(day, pattern.firstDayOfWeek) -
            weekStartDay(first, pattern.firstDayOfWeek)) /
          7;
        hit = pattern.daysOfWeek.includes(weekday) && weeks % pattern.interval === 0;
        break;
      }
      case 'absoluteMonthly':
        hit = d.getUTCDate() === pattern.dayOfMonth && monthsFrom(d) % pattern.interval === 0;
        break;
      case 'relativeMonthly':
        hit =
          pattern.daysOfWeek.includes(weekday) &&
          isNthWeekday(d, pattern.index) &&
          monthsFrom(d) % pattern.interval === 0;
        break;
      case 'absoluteYearly':
        hit =
          d.getUTCMonth() + 1 === pattern.month &&
          d.getUTCDate() === pattern.dayOfMonth &&
          (monthsFrom(d) / 12) % pattern.interval === 0;
        break;
      case 'relativeYearly':
        hit =
          d.getUTCMonth() + 1 === pattern.month &&
          pattern.daysOfWeek.includes(weekday) &&
          isNthWeekday(d, pattern.index) &&
          (monthsFrom(d) / 12) % pattern.interval === 0;
        break;
    }
    if (hit) out.push(dateOf(day));
  }
  return out;
}
