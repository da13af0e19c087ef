/** Day names as Graph's recurrence pattern spells them. */
export type DayOfWeek =
  'sunday' | 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday';

export type WeekIndex = 'first' | 'second' | 'third' | 'fourth' | 'last';

/**
 * A recurrence in the shape Graph's patternedRecurrence has (and EWS's recurrence types map to
 * one to one): the rule, and the range of dates it runs over, in the event's own zone.
 */
export interface EventRecurrence {
  pattern:
    | { type: 'daily'; interval: number }
    | { type: 'weekly'; interval: number; daysOfWeek: DayOfWeek[]; firstDayOfWeek: DayOfWeek }
    | { type: 'absoluteMonthly'; interval: number; dayOfMonth: number }
    | { type: 'relativeMonthly'; interval: number; daysOfWeek: DayOfWeek[]; index: WeekIndex }
    | { type: 'absoluteYearly'; interval: number; month: number; dayOfMonth: number }
    | {
        type: 'relativeYearly';
        interval: number;
        month: number;
        daysOfWeek: DayOfWeek[];
        index: WeekIndex;
      };
  range:
    | { type: 'noEnd'; startDate: string }
    | { type: 'endDate'; startDate: string; endDate: string }
    | { type: 'numbered'; startDate: string; numberOfOccurrences: number };
}
