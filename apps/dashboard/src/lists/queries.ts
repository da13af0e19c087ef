import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import type { ContactList, Group, Page, Run, Target, TenantInfo } from '../api/views';

export const listsKey = ['lists'] as const;
export const listKey = (id: string) => ['lists', id] as const;
export const targetsKey = (id: string) => ['lists', id, 'targets'] as const;
export const runsKey = (listId?: string) => ['runs', { listId }] as const;

export function useLists() {
  return useQuery({
    queryKey: listsKey,
    queryFn: () =>
      unwrap<Page<ContactList>>(api.GET('/api/lists', { params: { query: { limit: 100 } } })),
  });
}

export function useList(id: string | undefined) {
  return useQuery({
    queryKey: listKey(id ?? ''),
    enabled: !!id,
    queryFn: () =>
      unwrap<ContactList>(api.GET('/api/lists/{id}', { params: { path: { id: id! } } })),
  });
}

export function useTargets(listId: string | undefined, kind: 'contacts' | 'calendar' = 'contacts') {
  return useQuery({
    queryKey: targetsKey(listId ?? ''),
    enabled: !!listId,
    queryFn: () => {
      const init = { params: { path: { id: listId! } } };
      return unwrap<Target[]>(
        kind === 'calendar'
          ? api.GET('/api/calendar-lists/{id}/targets', init)
          : api.GET('/api/lists/{id}/targets', init),
      );
    },
  });
}

export function useGroups() {
  return useQuery({
    queryKey: ['directory', 'groups'],
    queryFn: () => unwrap<{ items: Group[] }>(api.GET('/api/directory/groups')),
    staleTime: 5 * 60_000,
  });
}

export function useRuns(listId?: string, poll = false) {
  return useQuery({
    queryKey: runsKey(listId),
    queryFn: () =>
      unwrap<Page<Run>>(
        api.GET('/api/runs', { params: { query: { limit: 50, ...(listId ? { listId } : {}) } } }),
      ),
    refetchInterval: poll ? 2_000 : false,
  });
}

export function useTenant() {
  return useQuery({
    queryKey: ['tenant'],
    queryFn: () => unwrap<TenantInfo>(api.GET('/api/tenant')),
  });
}

/** The department filter of a list's directory source, if it has one. */
export function departmentsOf(list: ContactList | undefined): string[] {
  const source = list?.settings.sources?.find((s) => s.kind === 'directory');
  const when = source?.filter?.include?.[0]?.when ?? [];
  return when.find((c) => c.type === 'department')?.values ?? [];
}
