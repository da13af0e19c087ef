import { Alert, Progress, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client';
import type { ListCleanup } from '../api/views-calendar';
import { ListsOverview } from '../components/ListsOverview';
import { ErrorState, Loading } from '../components/States';
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
  const [params] = useSearchParams();
  const cleanup = params.get('cleanup');
  return (
    <ListsOverview
      title="Calendar lists"
      lists={lists}
      path="/calendars"
      newLabel="New calendar list"
      firstLabel="Create your first calendar list"
      emptyTitle="No calendar list yet"
      emptyText="A calendar list puts shared events (public holidays, a team’s feed, company events) into the calendars of the mailboxes you choose, as appointments: nobody is invited."
      sourcesHeader="Events from"
      sourcesOf={(l) => l.settings.sources.map(describeSource).join(', ')}
    >
      {cleanup && <CleanupProgress listId={cleanup} />}
    </ListsOverview>
  );
}
