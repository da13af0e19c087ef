import { Anchor, Badge, Progress, Stack, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { useCalendarLists } from '../calendars/calendar-queries';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { useLists, useRuns } from '../lists/queries';
import { ACTIVE, percentDone, STATUS_COLOR, STATUS_LABEL } from './run-status';

export function RunsScreen() {
  const runs = useRuns(undefined, true);
  const lists = useLists();
  const calendars = useCalendarLists();
  const listName = (id: string) =>
    [...(lists.data?.items ?? []), ...(calendars.data?.items ?? [])].find((l) => l.id === id)
      ?.name ?? 'a list';
  return (
    <Stack gap="md">
      <Title order={2}>Runs</Title>
      {runs.isPending ? (
        <Loading what="runs" />
      ) : runs.isError ? (
        <ErrorState error={runs.error} onRetry={() => runs.refetch()} />
      ) : runs.data.items.length === 0 ? (
        <EmptyState title="No run yet">
          Open a contact list and press “Sync now”, or give it a schedule: each run appears here
          with its progress.
        </EmptyState>
      ) : (
        <Table.ScrollContainer minWidth={0}>
          <Table aria-label="Runs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Run</Table.Th>
                <Table.Th>State</Table.Th>
                <Table.Th>Mailboxes</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {runs.data.items.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/runs/${r.id}`}>
                      {r.mode === 'dry_run' ? 'Preview of ' : 'Sync of '}
                      {listName(r.listId)}
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      {r.startedAt ? new Date(r.startedAt).toLocaleString() : 'not started'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge color={STATUS_COLOR[r.status] ?? 'gray'} variant="light">
                      {STATUS_LABEL[r.status] ?? r.status}
                    </Badge>
                  </Table.Td>
                  <Table.Td miw={120}>
                    <Text size="sm">{`${r.mailboxes.succeeded + r.mailboxes.failed} of ${r.mailboxes.total}`}</Text>
                    {ACTIVE.has(r.status) && (
                      <Progress value={percentDone(r)} size="sm" aria-label="Progress" />
                    )}
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
