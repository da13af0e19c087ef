// Calendar sources: iCalendar files and feeds, public holidays; time-zone helpers.
export * from './holidays/holiday-events';
export * from './holidays/holiday-catalog';
export * from './ics/icalendar-invalid';
export * from './ics/parse-icalendar';
export * from './time/time-zone-of';
export * from './time/zoned-time';
export * from './feed/calendar-feed-fetcher';
export * from './settings/build-desired-events';
export * from './settings/calendar-list-settings';
export * from './time/approximate-instant';
export * from './ics/parse-list-ics';
