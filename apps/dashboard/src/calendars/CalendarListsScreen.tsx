import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Progress,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client';
import type { ListCleanup } from '../api/views-calendar';
import { useCanEdit } from '../app/can-edit';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { describeSource, useCalendarLists } from './calendar-queries';

const ENDED = new Set(['done', 'failed']);

/** A deleted list's clean-up, read once a second until it ends (reading changes nothing). */
function CleanupProgress({ listId }: { listId: string }) {
  const cleanup = useQuery({
    queryKey: ['list-cleanups', listId],
    queryFn: () =>
      unwrap<ListCleanup>(api.GET('/api/list-cleanups/{listId}', { params: { path: { listId } } })),
    refetchInterval: (q) => (q.state.data && ENDED.has(q.state.data.state) ? false : 1_000),
  });
  if (cleanup.isPending) return <Loading what="the clean-up" />;
  if (cleanup.isError) return <ErrorState error={cleanup.error} />;
  const c = cleanup.data;
  const done = c.mailboxes.cleaned + c.mailboxes.failed;
  const pct =
    c.state === 'done' ? 100 : c.mailboxes.total ? Math.floor((done / c.mailboxes.total) * 100) : 0;
  return (
    <Alert
      color={c.state === 'failed' ? 'red' : c.state === 'done' ? 'green' : 'blue'}
      title={`“${c.name}” deleted: ${c.state === 'done' ? 'its events are gone from every mailbox' : c.state === 'failed' ? 'the clean-up failed' : 'removing its events from the mailboxes'}`}
      data-testid="calendar-cleanup"
    >
      <Stack gap={6}>
        <Text size="sm" role="status" aria-live="polite">
          {`${c.mailboxes.cleaned} of ${c.mailboxes.total} mailboxes cleaned, ${c.itemsDeleted} events deleted`}
        </Text>
        <Progress value={pct} aria-label={`Clean-up ${pct} %`} />
        {c.error && <Text size="sm">{`${c.error.message} (${c.error.code})`}</Text>}
      </Stack>
    </Alert>
  );
}

export function CalendarListsScreen() {
  const lists = useCalendarLists();
  const canEdit = useCanEdit();
  const [params] = useSearchParams();
  const cleanup = params.get('cleanup');
  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="wrap">
        <Title order={2}>Calendar lists</Title>
        {canEdit && (
          <Button component={Link} to="/calendars/new">
            New calendar list
          </Button>
        )}
      </Group>
      {cleanup && <CleanupProgress listId={cleanup} />}
      {lists.isPending ? (
        <Loading what="calendar lists" />
      ) : lists.isError ? (
        <ErrorState error={lists.error} onRetry={() => lists.refetch()} />
      ) : lists.data.items.length === 0 ? (
        <EmptyState
          title="No calendar list yet"
          action={
            canEdit ? (
              <Button component={Link} to="/calendars/new">
                Create your first calendar list
              </Button>
            ) : undefined
          }
        >
          A calendar list puts shared events (public holidays, a team’s feed, company events) into
          the calendars of the mailboxes you choose, as appointments: nobody is invited.
          {canEdit ? '' : ' An administrator (Sync.Admin) creates them.'}
        </EmptyState>
      ) : (
        <Table.ScrollContainer minWidth={0}>
          <Table aria-label="Calendar lists" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Events from</Table.Th>
                <Table.Th>State</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {lists.data.items.map((l) => (
                <Table.Tr key={l.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/calendars/${l.id}`}>
                      {l.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{l.settings.sources.map(describeSource).join(', ')}</Table.Td>
                  <Table.Td>
                    <Badge color={l.enabled ? 'green' : 'gray'} variant="light">
                      {l.enabled ? 'Enabled' : 'Disabled'}
                    </Badge>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
