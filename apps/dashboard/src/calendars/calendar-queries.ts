import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import type { Page } from '../api/views';
import type { CalendarList, ManualEvent } from '../api/views-calendar';

export const calendarListsKey = ['calendar-lists'] as const;
export const calendarListKey = (id: string) => ['calendar-lists', id] as const;
export const manualEventsKey = (id: string, sourceId: string) =>
  ['calendar-lists', id, 'events', sourceId] as const;

export function useCalendarLists() {
  return useQuery({
    queryKey: calendarListsKey,
    queryFn: () =>
      unwrap<Page<CalendarList>>(
        api.GET('/api/calendar-lists', { params: { query: { limit: 100 } } }),
      ),
  });
}

export function useCalendarList(id: string | undefined) {
  return useQuery({
    queryKey: calendarListKey(id ?? ''),
    enabled: !!id,
    queryFn: () =>
      unwrap<CalendarList>(api.GET('/api/calendar-lists/{id}', { params: { path: { id: id! } } })),
  });
}

export function useManualEvents(listId: string, sourceId: string) {
  return useQuery({
    queryKey: manualEventsKey(listId, sourceId),
    queryFn: () =>
      unwrap<Page<ManualEvent>>(
        api.GET('/api/calendar-lists/{id}/sources/{sourceId}/events', {
          params: { path: { id: listId, sourceId }, query: { limit: 100 } },
        }),
      ),
  });
}

/** The holiday library's countries (the same for every tenant: kept for the session). */
export function useHolidayCountries() {
  return useQuery({
    queryKey: ['holidays', 'countries'],
    staleTime: Infinity,
    queryFn: () =>
      unwrap<{ items: Array<{ code: string; name: string }> }>(api.GET('/api/holidays/countries')),
  });
}

export interface HolidayCountry {
  code: string;
  name: string;
  languages: string[];
  states: Array<{ code: string; name: string; regions: Array<{ code: string; name: string }> }>;
}

export function useHolidayCountry(code: string | null) {
  return useQuery({
    queryKey: ['holidays', 'countries', code],
    enabled: !!code,
    staleTime: Infinity,
    queryFn: () =>
      unwrap<HolidayCountry>(
        api.GET('/api/holidays/countries/{country}', { params: { path: { country: code! } } }),
      ),
  });
}

/** A short description of a source, for the lists table and headings. */
export function describeSource(s: CalendarList['settings']['sources'][number]): string {
  switch (s.kind) {
    case 'holidays':
      return `Holidays ${[s.country, s.state, s.region].filter(Boolean).join('-')}`;
    case 'ics-feed':
      return `Feed ${safeHost(s.url)}`;
    case 'ics-upload':
      return 'Uploaded .ics';
    case 'manual':
      return 'Manual events';
    case 'mailbox-calendar':
      return `Calendar of ${s.mailboxId}`;
  }
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
