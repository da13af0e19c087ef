import type { DayOfWeek, EventRecurrence } from '../api/views-calendar';

export type Repeat = 'none' | 'daily' | 'weekly' | 'absoluteMonthly' | 'absoluteYearly';
export type Ends = 'noEnd' | 'endDate' | 'numbered';

/** What the recurrence part of the event form holds (strings, as the inputs give them). */
export interface RecurrenceForm {
  repeat: Repeat;
  interval: string;
  days: DayOfWeek[];
  ends: Ends;
  endDate: string;
  occurrences: string;
}

export const NO_RECURRENCE: RecurrenceForm = {
  repeat: 'none',
  interval: '1',
  days: [],
  ends: 'noEnd',
  endDate: '',
  occurrences: '10',
};

export const DAYS: Array<{ value: DayOfWeek; label: string }> = [
  { value: 'monday', label: 'Mon' },
  { value: 'tuesday', label: 'Tue' },
  { value: 'wednesday', label: 'Wed' },
  { value: 'thursday', label: 'Thu' },
  { value: 'friday', label: 'Fri' },
  { value: 'saturday', label: 'Sat' },
  { value: 'sunday', label: 'Sun' },
];
const BY_INDEX: DayOfWeek[] = [
  'sunday',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** The weekday of a YYYY-MM-DD date (what a weekly series starts with). */
export function weekdayOf(date: string): DayOfWeek | undefined {
  const d = new Date(`${date}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? undefined : BY_INDEX[d.getUTCDay()];
}

/**
 * The API's recurrence from the form: monthly and yearly repeat on the start's day (and month),
 * the range starts on the start's date, as the API requires. Numbers the inputs cannot read are
 * sent as they are, so the API names the field.
 */
export function recurrenceFromForm(
  f: RecurrenceForm,
  startDate: string,
): EventRecurrence | undefined {
  if (f.repeat === 'none') return undefined;
  const interval = f.interval.trim() === '' ? Number.NaN : Number(f.interval);
  const day = Number(startDate.slice(8, 10));
  const month = Number(startDate.slice(5, 7));
  const pattern: EventRecurrence['pattern'] =
    f.repeat === 'daily'
      ? { type: 'daily', interval }
      : f.repeat === 'weekly'
        ? { type: 'weekly', interval, daysOfWeek: f.days }
        : f.repeat === 'absoluteMonthly'
          ? { type: 'absoluteMonthly', interval, dayOfMonth: day }
          : { type: 'absoluteYearly', interval, month, dayOfMonth: day };
  const range: EventRecurrence['range'] =
    f.ends === 'endDate'
      ? { type: 'endDate', startDate, endDate: f.endDate }
      : f.ends === 'numbered'
        ? {
            type: 'numbered',
            startDate,
            numberOfOccurrences: f.occurrences.trim() === '' ? Number.NaN : Number(f.occurrences),
          }
        : { type: 'noEnd', startDate };
  return { pattern, range };
}

/** The form of a stored recurrence; relative patterns (made by a script) show as not editable. */
export function formFromRecurrence(r: EventRecurrence | null): RecurrenceForm | 'relative' {
  if (!r) return NO_RECURRENCE;
  if (r.pattern.type === 'relativeMonthly' || r.pattern.type === 'relativeYearly')
    return 'relative';
  return {
    repeat: r.pattern.type,
    interval: String(r.pattern.interval),
    days: r.pattern.type === 'weekly' ? r.pattern.daysOfWeek : [],
    ends: r.range.type,
    endDate: r.range.type === 'endDate' ? r.range.endDate : '',
    occurrences: r.range.type === 'numbered' ? String(r.range.numberOfOccurrences) : '10',
  };
}

const every = (n: number, one: string, many: string) => (n === 1 ? one : `every ${n} ${many}`);

/** "Weekly on Tue, Thu, 10 times" and the like, for the events table. */
export function describeRecurrence(r: EventRecurrence): string {
  const p = r.pattern;
  const dayNames = (days: DayOfWeek[]) =>
    DAYS.filter((d) => days.includes(d.value))
      .map((d) => d.label)
      .join(', ');
  const rule =
    p.type === 'daily'
      ? every(p.interval, 'daily', 'days')
      : p.type === 'weekly'
        ? `${every(p.interval, 'weekly', 'weeks')} on ${dayNames(p.daysOfWeek)}`
        : p.type === 'absoluteMonthly'
          ? `${every(p.interval, 'monthly', 'months')} on day ${p.dayOfMonth}`
          : p.type === 'absoluteYearly'
            ? `${every(p.interval, 'yearly', 'years')} on ${p.dayOfMonth} ${MONTHS[p.month - 1]}`
            : p.type === 'relativeMonthly'
              ? `${every(p.interval, 'monthly', 'months')} on the ${p.index} ${dayNames(p.daysOfWeek)}`
              : `${every(p.interval, 'yearly', 'years')} on the ${p.index} ${dayNames(p.daysOfWeek)} of ${MONTHS[p.month - 1]}`;
  const range =
    r.range.type === 'numbered'
      ? `, ${r.range.numberOfOccurrences} ${r.range.numberOfOccurrences === 1 ? 'time' : 'times'}`
      : r.range.type === 'endDate'
        ? `, until ${r.range.endDate}`
        : '';
  return `Repeats ${rule}${range}`;
}
