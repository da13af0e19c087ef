import { CodedError, type CalendarEvent } from '@app/domain';
import Holidays, { type HolidaysTypes } from 'date-holidays';
import { createHash } from 'node:crypto';
import { localTimeIn } from '../time/zoned-time';

export type HolidayType = HolidaysTypes.HolidayType;

export interface HolidayChoice {
  /** ISO 3166-1 alpha-2, e.g. DE. */
  country: string;
  /** The library's state code, e.g. BY. */
  state?: string;
  /** The library's region within the state, e.g. KATH (predominantly Catholic communes). */
  region?: string;
  /** ISO 639-1 language of the names; the country's own language when absent. */
  language?: string;
  /** The library's types to push; `public` by default. */
  types?: HolidayType[];
  years: number[];
}

/** Attribution the library's data licence (CC BY 3.0) requires, shown in each event. */
export const HOLIDAY_DATA_ATTRIBUTION =
  'Holiday data: date-holidays (https://github.com/commenthol/date-holidays), licensed CC BY 3.0.';

/**
 * Public holidays (or the chosen types) of a country, state and region from the date-holidays
 * library, as all-day free events. Dates come from the library's date string, not its start
 * instant (midnight in Berlin is the previous day in UTC); a holiday that starts during the day
 * (Christmas Eve from 14:00 as a bank holiday) is a timed event in the region's zone.
 */
export function holidayEvents(choice: HolidayChoice): CalendarEvent[] {
  const country = choice.country.toUpperCase();
  const known = new Holidays();
  const unknown =
    !known.getCountries()[country] ||
    (choice.state && !known.getStates(country)?.[choice.state]) ||
    (choice.region && !known.getRegions(country, choice.state ?? '')?.[choice.region]);
  if (unknown)
    throw new CodedError(
      'holiday_region_unknown',
      `no holiday data for ${[country, choice.state, choice.region].filter(Boolean).join('-')}`,
      { status: 400, details: { country, state: choice.state, region: choice.region } },
    );
  const holidays = new Holidays(
    country,
    choice.state ?? '',
    choice.region ?? '',
    choice.language ? { languages: [choice.language] } : {},
  );
  const zone = holidays.getTimezones()[0] ?? 'UTC';
  const types = new Set<HolidayType>(choice.types?.length ? choice.types : ['public']);
  const out: CalendarEvent[] = [];
  for (const year of choice.years) {
    for (const h of holidays.getHolidays(year, choice.language)) {
      if (!types.has(h.type)) continue;
      const [date, time] = h.date.split(' ');
      const days = Math.round((h.end.getTime() - h.start.getTime()) / 86_400_000);
      const allDay =
        time === '00:00:00' &&
        days >= 1 &&
        (h.end.getTime() - h.start.getTime()) % 86_400_000 < 3_600_001;
      const key = createHash('sha256').update(`${h.rule}|${h.type}`).digest('hex').slice(0, 16);
      out.push({
        sourceKey: `holiday:${country}${choice.state ? `-${choice.state}` : ''}${choice.region ? `-${choice.region}` : ''}:${date}:${key}`,
        subject: h.name,
        body: `${typeLabel(h.type)}. ${HOLIDAY_DATA_ATTRIBUTION}`,
        start: allDay
          ? { kind: 'date', date: date! }
          : { kind: 'dateTime', local: `${date}T${time}`, timeZone: zone },
        end: allDay
          ? { kind: 'date', date: addDays(date!, days) }
          : { kind: 'dateTime', local: localTimeIn(h.end, zone), timeZone: zone },
        isAllDay: allDay,
        showAs: 'free',
        isReminderOn: false,
        ...(h.substitute ? { categories: ['substitute'] } : {}),
      });
    }
  }
  return out;
}

function typeLabel(type: HolidayType): string {
  return {
    public: 'Public holiday',
    bank: 'Bank holiday',
    school: 'School holiday',
    optional: 'Optional holiday',
    observance: 'Observance',
  }[type];
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
