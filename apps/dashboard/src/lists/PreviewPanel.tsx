import { Alert, Badge, Button, Group, List, Paper, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, unwrap } from '../api/client';
import type { RunPreview } from '../api/views';
import { ErrorState } from '../components/States';

const ACTION_WORD = { create: 'Create', update: 'Update', delete: 'Delete' } as const;

/**
 * What a run would do now, without writing to any mailbox: a dry run of the list, then its
 * plan (items to create, update and delete, in how many mailboxes, with examples).
 */
export function PreviewPanel({
  listId,
  onStarted,
  onReady,
  kind = 'contacts',
}: {
  listId: string;
  onStarted?: () => void;
  onReady?: () => void;
  kind?: 'contacts' | 'calendar';
}) {
  const [runId, setRunId] = useState<string | null>(null);
  const start = useMutation({
    mutationFn: () =>
      unwrap<{ runId: string }>(
        kind === 'calendar'
          ? api.POST('/api/calendar-lists/{id}/runs', {
              params: { path: { id: listId } },
              body: { mode: 'dry_run' },
            })
          : api.POST('/api/lists/{id}/preview', { params: { path: { id: listId } } }),
      ),
    onSuccess: (r) => {
      setRunId(r.runId);
      onStarted?.();
    },
  });
  const preview = useQuery({
    queryKey: ['preview', runId],
    enabled: !!runId,
    queryFn: () =>
      unwrap<RunPreview>(
        api.GET('/api/runs/{id}/preview', {
          params: { path: { id: runId! }, query: { limit: 50 } },
        }),
      ),
    refetchInterval: (q) => (q.state.data?.finished ? false : 1_000),
  });
  const data = preview.data;
  const finished = !!data?.finished;
  useEffect(() => {
    if (finished) onReady?.();
  }, [finished, onReady]);
  const examples = (data?.mailboxes.items ?? []).flatMap((m) => m.changes).slice(0, 5);

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="preview-title">
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap">
          <Title order={3} id="preview-title">
            Preview
          </Title>
          <Button variant="light" onClick={() => start.mutate()} loading={start.isPending}>
            {runId ? 'Preview again' : 'Preview changes'}
          </Button>
        </Group>
        {!runId && !start.isError && (
          <Text c="dimmed" size="sm">
            See what the next sync would create, update and delete, before anything is written.
          </Text>
        )}
        {start.isError && <ErrorState error={start.error} />}
        {preview.isError && <ErrorState error={preview.error} />}
        {runId && (!data || !data.finished) && !preview.isError && (
          <Text role="status" aria-live="polite">
            Planning… {data ? `${data.mailboxes.total} mailboxes so far` : ''}
          </Text>
        )}
        {data?.finished && (
          <Stack gap="xs" role="status" aria-live="polite" data-testid="preview-result">
            {data.status === 'failed' && (
              <Alert color="red" title="The preview failed">
                The list could not be planned: see the run for the reason.
              </Alert>
            )}
            <Text fw={500}>
              {`${data.items.created} to create, ${data.items.updated} to update, ${data.items.deleted} to delete in ${data.mailboxes.total} mailboxes`}
            </Text>
            <Group gap="xs">
              <Badge color="green" variant="light">{`+${data.items.created}`}</Badge>
              <Badge color="blue" variant="light">{`~${data.items.updated}`}</Badge>
              <Badge color="red" variant="light">{`−${data.items.deleted}`}</Badge>
            </Group>
            {examples.length > 0 && (
              <>
                <Text size="sm" c="dimmed">
                  For example:
                </Text>
                <List size="sm">
                  {examples.map((c, i) => (
                    <List.Item key={`${c.sourceKey}-${i}`}>
                      {ACTION_WORD[c.action]} {c.name ?? c.sourceKey}
                      {/* A new event writes every field: the list says which changed only on updates. */}
                      {c.fields?.length && !(kind === 'calendar' && c.action === 'create')
                        ? ` (${c.fields.join(', ')})`
                        : ''}
                      {c.note ? ` — ${c.note}` : ''}
                    </List.Item>
                  ))}
                </List>
              </>
            )}
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
