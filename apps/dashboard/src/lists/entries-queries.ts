import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import type { Page } from '../api/views';
import type { ListEntry } from '../api/views-admin';

export const entriesKey = (listId: string) => ['lists', listId, 'entries'] as const;

export const ENTRIES_PAGE = 25;

/** One page of a list's manual entries, oldest first; `email` finds one by exact address. */
export function useEntries(listId: string, page: number, email?: string) {
  return useQuery({
    queryKey: [...entriesKey(listId), { page, email }],
    queryFn: () =>
      unwrap<Page<ListEntry>>(
        api.GET('/api/lists/{id}/entries', {
          params: {
            path: { id: listId },
            query: {
              limit: ENTRIES_PAGE,
              offset: page * ENTRIES_PAGE,
              ...(email ? { email } : {}),
            },
          },
        }),
      ),
  });
}
