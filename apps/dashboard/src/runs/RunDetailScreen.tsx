import {
  Alert,
  Anchor,
  Badge,
  Button,
  Code,
  Group,
  Modal,
  Paper,
  Progress,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, unwrap } from '../api/client';
import type { MailboxOutcome, RunDetail, UserName } from '../api/views';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { ACTIVE, percentDone, STATUS_COLOR, STATUS_LABEL } from './run-status';

function Figure({ label, value }: { label: string; value: number | string }) {
  return (
    <Paper withBorder p="sm" radius="md">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="xl">
        {value}
      </Text>
    </Paper>
  );
}

/** One run: live progress (polled while it is active), then each mailbox's outcome. */
export function RunDetailScreen() {
  const { id } = useParams();
  const [open, setOpen] = useState<MailboxOutcome | null>(null);
  const run = useQuery({
    queryKey: ['runs', id],
    queryFn: () => unwrap<RunDetail>(api.GET('/api/runs/{id}', { params: { path: { id: id! } } })),
    refetchInterval: (q) => (q.state.data && !ACTIVE.has(q.state.data.status) ? false : 1_000),
  });
  // Per-mailbox outcomes come paged from their own route (the first 100 here), polled alike.
  const outcomes = useQuery({
    // Keyed by the run's status too: the run ending fetches the outcomes once more, complete.
    queryKey: ['runs', id, 'mailboxes', run.data?.status],
    queryFn: () =>
      unwrap<{ items: MailboxOutcome[]; nextCursor: string | null }>(
        api.GET('/api/runs/{id}/mailboxes', {
          params: { path: { id: id! }, query: { limit: 100 } },
        }),
      ),
    refetchInterval: () => (run.data && !ACTIVE.has(run.data.status) ? false : 1_000),
  });
  // Mailboxes by name: the outcomes carry ids only.
  const ids = (outcomes.data?.items ?? []).slice(0, 100).map((m) => m.mailboxId);
  const names = useQuery({
    queryKey: ['directory', 'users', ids],
    enabled: ids.length > 0,
    staleTime: 5 * 60_000,
    queryFn: () =>
      unwrap<{ items: UserName[] }>(
        api.GET('/api/directory/users', { params: { query: { ids: ids.join(',') } } }),
      ),
  });
  const nameOf = (id: string) => {
    const u = names.data?.items.find((n) => n.id === id);
    return u ? (u.displayName ?? u.userPrincipalName ?? id) : id;
  };
  const upnOf = (id: string) =>
    names.data?.items.find((n) => n.id === id)?.userPrincipalName ?? null;
  if (run.isPending) return <Loading what="the run" />;
  if (run.isError) return <ErrorState error={run.error} onRetry={() => run.refetch()} />;
  const r = run.data;
  const mailboxOutcomes = outcomes.data?.items ?? [];
  const pct = percentDone(r);
  const active = ACTIVE.has(r.status);

  return (
    <Stack gap="md">
      <Anchor component={Link} to="/runs" size="sm">
        ← All runs
      </Anchor>
      <Group justify="space-between" wrap="wrap">
        <Title order={2}>{r.mode === 'dry_run' ? 'Preview run' : 'Sync run'}</Title>
        <Badge size="lg" color={STATUS_COLOR[r.status] ?? 'gray'} variant="light">
          {STATUS_LABEL[r.status] ?? r.status}
        </Badge>
      </Group>
      <Stack gap={4}>
        <Group justify="space-between">
          <Text
            fw={500}
          >{`${r.mailboxes.succeeded + r.mailboxes.failed} of ${r.mailboxes.total} mailboxes done`}</Text>
          <Text fw={700} data-testid="run-percent">{`${pct} %`}</Text>
        </Group>
        <Progress
          value={pct}
          size="lg"
          animated={active}
          color={r.mailboxes.failed ? 'orange' : 'blue'}
          aria-label={`Run progress ${pct} %`}
        />
        {active && (
          <Text size="sm" c="dimmed" role="status" aria-live="polite">
            Updating every second…
          </Text>
        )}
      </Stack>
      <SimpleGrid cols={{ base: 2, sm: 4 }}>
        <Figure label="Mailboxes in step" value={r.mailboxes.succeeded} />
        <Figure label="Mailboxes failed" value={r.mailboxes.failed} />
        <Figure
          label={r.listKind === 'calendar' ? 'Events created' : 'Contacts created'}
          value={r.items.created}
        />
        <Figure label="Updated / deleted" value={`${r.items.updated} / ${r.items.deleted}`} />
      </SimpleGrid>
      {r.error && (
        <Alert color="red" title={`The run stopped: ${r.error.code}`} role="alert">
          <Text size="sm">{r.error.message}</Text>
          {r.error.advice && <Text size="sm">What to do: {r.error.advice}</Text>}
        </Alert>
      )}
      <Title order={3}>Mailboxes</Title>
      {mailboxOutcomes.length === 0 ? (
        <EmptyState title={active ? 'No mailbox has reported yet' : 'No mailbox outcome'}>
          {active
            ? 'Mailboxes appear here as each one is synced.'
            : 'This run wrote to no mailbox: check the list has targets.'}
        </EmptyState>
      ) : (
        <Table.ScrollContainer minWidth={0}>
          <Table aria-label="Mailbox outcomes">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Mailbox</Table.Th>
                <Table.Th>Outcome</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {mailboxOutcomes.map((m) => (
                <Table.Tr key={m.mailboxId}>
                  <Table.Td style={{ wordBreak: 'break-all' }}>
                    <Button
                      variant="subtle"
                      size="compact-sm"
                      onClick={() => setOpen(m)}
                      aria-label={`Outcome of mailbox ${nameOf(m.mailboxId)}`}
                      styles={{ label: { whiteSpace: 'normal', textAlign: 'left' } }}
                    >
                      {nameOf(m.mailboxId)}
                    </Button>
                    {upnOf(m.mailboxId) && (
                      <Text size="xs" c="dimmed">
                        {upnOf(m.mailboxId)}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Badge color={MAILBOX_COLOR[m.status] ?? 'gray'} variant="light">
                      {MAILBOX_LABEL[m.status] ?? m.status}
                    </Badge>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Modal
        opened={!!open}
        onClose={() => setOpen(null)}
        title="Mailbox outcome"
        size="lg"
        closeButtonProps={{ 'aria-label': 'Close' }}
      >
        {open && (
          <MailboxOutcomeDetail
            outcome={open}
            name={nameOf(open.mailboxId)}
            upn={upnOf(open.mailboxId)}
          />
        )}
      </Modal>
    </Stack>
  );
}

const MAILBOX_LABEL: Record<string, string> = {
  succeeded: 'In step',
  failed: 'Failed',
  skipped: 'Skipped',
  cancelled: 'Cancelled',
};
const MAILBOX_COLOR: Record<string, string> = {
  succeeded: 'green',
  failed: 'red',
  skipped: 'orange',
  cancelled: 'gray',
};

function MailboxOutcomeDetail({
  outcome,
  name,
  upn,
}: {
  outcome: MailboxOutcome;
  name: string;
  upn: string | null;
}) {
  // A succeeded mailbox's code reports success (MAILBOX_SYNCED): only other outcomes are explained.
  const code = outcome.status !== 'succeeded' ? outcome.code : null;
  return (
    <Stack gap="sm" data-testid="mailbox-outcome">
      <Text fw={600}>{name}</Text>
      <Text size="sm" style={{ wordBreak: 'break-all' }}>
        {upn ? `${upn} · ` : ''}
        <Code>{outcome.mailboxId}</Code>
      </Text>
      <Group gap="xs">
        <Badge color={MAILBOX_COLOR[outcome.status] ?? 'gray'} variant="light">
          {MAILBOX_LABEL[outcome.status] ?? outcome.status}
        </Badge>
        <Text size="sm">
          {outcome.items.created} created, {outcome.items.updated} updated, {outcome.items.deleted}{' '}
          deleted
        </Text>
      </Group>
      {outcome.message && <Text size="sm">{outcome.message}</Text>}
      {code ? (
        <Alert color={outcome.status === 'failed' ? 'red' : 'orange'} title={`Error code ${code}`}>
          <Stack gap={4}>
            <Text size="sm">What it means: {outcome.message ?? 'see the code.'}</Text>
            <Text size="sm">
              What to do: {outcome.advice ?? 'nothing unless it happens again.'}
            </Text>
          </Stack>
        </Alert>
      ) : (
        <Text size="sm" c="dimmed">
          No error: this mailbox is in step with the list.
        </Text>
      )}
      <Text size="xs" c="dimmed">
        Reported {new Date(outcome.finishedAt).toLocaleString()}
      </Text>
    </Stack>
  );
}
