import { Alert, Button, Stack } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { api, unwrap } from '../api/client';

/** "Sync now": starts a run of the list (or joins the active one) and opens its progress. */
export function SyncNowButton({
  listId,
  kind = 'contacts',
}: {
  listId: string;
  kind?: 'contacts' | 'calendar';
}) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const sync = useMutation({
    mutationFn: () =>
      unwrap<{ runId: string }>(
        kind === 'calendar'
          ? api.POST('/api/calendar-lists/{id}/runs', {
              params: { path: { id: listId } },
              body: { mode: 'sync' },
            })
          : api.POST('/api/lists/{id}/sync', { params: { path: { id: listId } } }),
      ),
    onSuccess: ({ runId }) => {
      queryClient.invalidateQueries({ queryKey: ['runs'] });
      navigate(`/runs/${runId}`);
    },
  });
  return (
    <Stack gap="xs" align="flex-start">
      <Button onClick={() => sync.mutate()} loading={sync.isPending}>
        Sync now
      </Button>
      {sync.isError && (
        <Alert color="red" role="alert">
          {(sync.error as Error).message}
        </Alert>
      )}
    </Stack>
  );
}
