/** RFC 5545 weekday codes. */
export type RuleDay = 'SU' | 'MO' | 'TU' | 'WE' | 'TH' | 'FR' | 'SA';

/**
 * An RRULE as parsed (RFC 5545 §3.3.10), independent of the parsing library: what the mapping
 * to a Graph-style recurrence reads. Unknown parts are kept by name so they can refuse it.
 */
export interface RecurrenceRule {
  freq: 'SECONDLY' | 'MINUTELY' | 'HOURLY' | 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY';
  interval: number;
  count?: number;
  /** UNTIL as the date it falls on in the event's zone (`YYYY-MM-DD`). */
  untilDate?: string;
  byDay: Array<{ day: RuleDay; ordinal?: number }>;
  byMonthDay: number[];
  byMonth: number[];
  bySetPos: number[];
  wkst?: RuleDay;
  /** BYHOUR, BYMINUTE, BYSECOND, BYWEEKNO, BYYEARDAY: parts Graph's model has no room for. */
  otherParts: string[];
}
