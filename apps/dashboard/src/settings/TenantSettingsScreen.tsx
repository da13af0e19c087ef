import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  List,
  Modal,
  Paper,
  Progress,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import type { ContactList, Page, Run } from '../api/views';
import type { CleanupProgress } from '../api/views-admin';
import type { EwsSettings } from '../api/views-calendar';
import { ME_KEY, useSession } from '../app/session';
import { ErrorState, Loading } from '../components/States';
import { useTenant } from '../lists/queries';

const cleanupKey = ['tenant', 'cleanup'] as const;
const CONFIRM_WORD = 'REVOKE';

const LIST_STATUS: Record<string, string> = {
  waiting: 'Waiting',
  queued: 'Queued',
  running: 'Cleaning',
  succeeded: 'Clean',
  partial: 'Partly clean',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** What the clean-up deletes, stated before anything happens: each list and its mailboxes. */
function useWhatWillBeDeleted(enabled: boolean) {
  return useQuery({
    queryKey: ['tenant', 'cleanup', 'scope'],
    enabled,
    queryFn: async () => {
      const [lists, runs] = await Promise.all([
        unwrap<Page<ContactList>>(api.GET('/api/lists', { params: { query: { limit: 200 } } })),
        unwrap<Page<Run>>(api.GET('/api/runs', { params: { query: { limit: 200 } } })),
      ]);
      return lists.items.map((l) => {
        // The latest sync of the list says how many mailboxes hold its contacts.
        const last = runs.items.find((r) => r.listId === l.id && r.mode === 'sync');
        return { id: l.id, name: l.name, mailboxes: last?.mailboxes.total ?? null };
      });
    },
  });
}

function ConfirmRevoke({
  tenantName,
  ewsOnly,
  onClose,
}: {
  tenantName: string;
  ewsOnly: boolean;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const scope = useWhatWillBeDeleted(true);
  const [typed, setTyped] = useState('');
  const start = useMutation({
    mutationFn: () => unwrap<CleanupProgress>(api.POST('/api/tenant/cleanup')),
    onSuccess: (progress) => {
      queryClient.setQueryData(cleanupKey, progress);
      onClose();
    },
  });
  if (scope.isPending) return <Loading what="what the clean-up removes" />;
  if (scope.isError) return <ErrorState error={scope.error} onRetry={() => scope.refetch()} />;
  const lists = scope.data;
  const mailboxes = lists.reduce((n, l) => n + (l.mailboxes ?? 0), 0);
  return (
    <Stack gap="sm" data-testid="revoke-confirmation">
      <Text fw={600}>This deletes, for {tenantName}:</Text>
      <List spacing={4} size="sm">
        <List.Item>
          {lists.length === 0
            ? 'No contact list: nothing in any mailbox.'
            : `Every contact our app wrote into the mailboxes, for ${lists.length} ${lists.length === 1 ? 'list' : 'lists'} (${mailboxes} ${mailboxes === 1 ? 'mailbox' : 'mailboxes'} at their last sync):`}
          {lists.length > 0 && (
            <List withPadding size="sm" aria-label="Lists to clean up">
              {lists.map((l) => (
                <List.Item key={l.id}>
                  {l.name}:{' '}
                  {l.mailboxes === null
                    ? 'never synced (checked anyway)'
                    : `${l.mailboxes} ${l.mailboxes === 1 ? 'mailbox' : 'mailboxes'}`}
                </List.Item>
              ))}
            </List>
          )}
        </List.Item>
        <List.Item>Our sync logs, caches and list snapshots for your organization.</List.Item>
        <List.Item>
          Every list and schedule is disabled at once; when all mailboxes are clean the organization
          is revoked here (no more syncs, no more sign-ins of its admins).
        </List.Item>
      </List>
      <Text size="sm">
        Contacts people created themselves are never touched: only items tagged as ours are deleted.
        {ewsOnly
          ? 'Withdrawing our service account’s rights in Exchange is your last step; we show you how.'
          : 'Removing our app in Microsoft Entra ID is your last step; we show you how.'}
      </Text>
      <TextInput
        label={`Type ${CONFIRM_WORD} to confirm`}
        value={typed}
        onChange={(e) => setTyped(e.currentTarget.value)}
        autoComplete="off"
      />
      {start.isError && (
        <Alert color="red" role="alert" title="Not started">
          {(start.error as Error).message}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        <Button
          color="red"
          disabled={typed.trim() !== CONFIRM_WORD}
          loading={start.isPending}
          onClick={() => start.mutate()}
        >
          Clean up and revoke
        </Button>
      </Group>
    </Stack>
  );
}

function CleanupView({ progress, ewsOnly }: { progress: CleanupProgress; ewsOnly: boolean }) {
  const queryClient = useQueryClient();
  const retry = useMutation({
    mutationFn: () => unwrap<CleanupProgress>(api.POST('/api/tenant/cleanup')),
    onSuccess: (p) => queryClient.setQueryData(cleanupKey, p),
  });
  const t = progress.totals;
  const pct =
    progress.state === 'revoked'
      ? 100
      : t.mailboxesTotal > 0
        ? Math.floor((100 * t.mailboxesDone) / t.mailboxesTotal)
        : 0;
  const heading =
    progress.state === 'revoked'
      ? 'Cleaned up and revoked'
      : progress.state === 'failed'
        ? 'Clean-up failed'
        : progress.phase === 'wiping'
          ? 'Deleting our logs and caches…'
          : 'Cleaning up the mailboxes…';
  return (
    <Stack gap="sm" data-testid="cleanup-progress">
      <Group justify="space-between" wrap="wrap">
        <Text fw={600} role="status" aria-live="polite">
          {heading}
        </Text>
        <Text data-testid="cleanup-percent">{pct} %</Text>
      </Group>
      <Progress
        value={pct}
        color={
          progress.state === 'failed' ? 'red' : progress.state === 'revoked' ? 'green' : 'blue'
        }
        animated={progress.state === 'running'}
        aria-label="Clean-up progress"
      />
      <Text size="sm">
        {t.mailboxesDone} of {t.mailboxesTotal} mailboxes cleaned, {t.itemsDeleted} contacts deleted
      </Text>
      {progress.lists.length > 0 && (
        <Table.ScrollContainer minWidth={0}>
          <Table aria-label="Clean-up per list">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>List</Table.Th>
                <Table.Th>State</Table.Th>
                <Table.Th>Mailboxes</Table.Th>
                <Table.Th visibleFrom="sm">Deleted</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {progress.lists.map((l) => (
                <Table.Tr key={l.listId}>
                  <Table.Td style={{ wordBreak: 'break-word' }}>
                    {l.runId ? (
                      <Anchor component={Link} to={`/runs/${l.runId}`}>
                        {l.listName}
                      </Anchor>
                    ) : (
                      l.listName
                    )}
                  </Table.Td>
                  <Table.Td>{LIST_STATUS[l.status] ?? l.status}</Table.Td>
                  <Table.Td>
                    {l.mailboxes.done} of {l.mailboxes.total}
                    {l.mailboxes.failed ? ` (${l.mailboxes.failed} failed)` : ''}
                  </Table.Td>
                  <Table.Td visibleFrom="sm">{l.itemsDeleted}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {progress.state === 'failed' && (
        <Alert color="red" role="alert" title={progress.error?.code ?? 'Failed'}>
          <Stack gap="xs" align="flex-start">
            <Text size="sm">
              {progress.error?.message ?? 'A mailbox could not be cleaned.'} Nothing was revoked;
              fix the cause (e.g. consent again), then retry: only our tagged contacts are deleted,
              so a retry is safe.
            </Text>
            <Button
              size="xs"
              color="red"
              variant="light"
              loading={retry.isPending}
              onClick={() => retry.mutate()}
            >
              Retry the clean-up
            </Button>
          </Stack>
        </Alert>
      )}
      {progress.state === 'revoked' && (
        <Alert color="green" title="Nothing of ours remains in your mailboxes">
          <Stack gap="xs">
            {progress.revokedAt && (
              <Text size="sm">Revoked on {new Date(progress.revokedAt).toLocaleString()}.</Text>
            )}
            {progress.wiped && (
              <Text size="sm">
                Deleted: {progress.wiped.logs ?? 0} log entries, {progress.wiped.snapshots ?? 0}{' '}
                snapshots, {progress.wiped.mapChunks ?? 0} cache chunks.
              </Text>
            )}
            {progress.removeApp && (
              <>
                <Text size="sm" fw={600}>
                  {ewsOnly
                    ? 'Last step: withdraw our service account’s rights in Exchange'
                    : 'Last step: remove our app in Microsoft Entra ID'}
                </Text>
                <List type="ordered" size="sm" spacing={2}>
                  {progress.removeApp.steps.map((s) => (
                    <List.Item key={s} style={{ wordBreak: 'break-word' }}>
                      {s}
                    </List.Item>
                  ))}
                </List>
              </>
            )}
          </Stack>
        </Alert>
      )}
    </Stack>
  );
}

/**
 * What an EWS-only organisation is instead of a Microsoft 365 tenant: Exchange Server
 * on-premises, reached through its EWS server, its directory the Global Address List.
 */
function ExchangeOrganisation() {
  const ews = useQuery({
    queryKey: ['ews'],
    queryFn: () => unwrap<EwsSettings>(api.GET('/api/ews')),
  });
  return (
    <Stack gap={4} data-testid="exchange-organisation">
      <Text size="sm">
        Exchange Server on-premises organisation (no Microsoft 365 tenant): its mailboxes and its
        Global Address List are reached through EWS.
      </Text>
      {ews.isPending ? (
        <Loading what="the EWS connection" />
      ) : ews.isError ? (
        <ErrorState error={ews.error} onRetry={() => ews.refetch()} />
      ) : ews.data.configured ? (
        <>
          <Text size="sm" style={{ wordBreak: 'break-all' }}>
            EWS server: {ews.data.serverUrl}
          </Text>
          <Text size="sm" style={{ wordBreak: 'break-all' }}>
            Service account: {ews.data.username}
            {ews.data.impersonationAddress
              ? `, reading the directory as ${ews.data.impersonationAddress}`
              : ''}
          </Text>
          {ews.data.addressListId && (
            <Text size="sm" style={{ wordBreak: 'break-all' }}>
              Global Address List id: {ews.data.addressListId}
            </Text>
          )}
        </>
      ) : (
        <Alert color="orange" title="No EWS connection">
          Nothing can be synced until the EWS connection is set.
        </Alert>
      )}
      <Anchor component={Link} to="/ews" size="sm">
        Exchange on-premises connection
      </Anchor>
    </Stack>
  );
}

/**
 * The organization's settings: its consent and, at the end, "clean up and revoke" with a
 * confirmation that says exactly what goes, then the worker's progress to the end.
 */
export function TenantSettingsScreen() {
  const me = useSession().data!;
  const queryClient = useQueryClient();
  const tenant = useTenant();
  const [confirming, setConfirming] = useState(false);
  const isAdmin = me.role === 'admin';
  const cleanup = useQuery({
    queryKey: cleanupKey,
    enabled: me.tenantStatus !== 'not_onboarded',
    queryFn: async () => {
      const p = await unwrap<CleanupProgress>(api.GET('/api/tenant/cleanup'));
      // Revoked: the session's tenant status changed too.
      if (p.state === 'revoked') void queryClient.invalidateQueries({ queryKey: ME_KEY });
      return p;
    },
    refetchInterval: (q) => (q.state.data?.state === 'running' ? 1_000 : false),
  });
  if (tenant.isPending) return <Loading what="your organization" />;
  if (tenant.isError) return <ErrorState error={tenant.error} onRetry={() => tenant.refetch()} />;
  const t = tenant.data;
  // An Exchange Server organisation without Microsoft 365 has no Entra tenant id (ADR 0047).
  const ewsOnly = !me.azureTenantId;
  const name = t.displayName ?? me.azureTenantId ?? 'Your organization';
  const state = cleanup.data?.state ?? 'not_started';
  return (
    <Stack gap="md">
      <Title order={2}>Organization settings</Title>
      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="org-title">
        <Title order={3} id="org-title" mb="sm">
          {name}
        </Title>
        <Stack gap={6}>
          <Group gap="xs">
            <Text size="sm">Status:</Text>
            <Badge variant="light" color={t.status === 'active' ? 'green' : 'orange'}>
              {t.status}
            </Badge>
          </Group>
          {ewsOnly ? (
            <ExchangeOrganisation />
          ) : (
            <Text size="sm" style={{ wordBreak: 'break-all' }}>
              Microsoft tenant id: {me.azureTenantId}
            </Text>
          )}
          {!ewsOnly && (t.grantedPermissions?.length ?? 0) > 0 && (
            <Text size="sm">Permissions granted: {t.grantedPermissions!.join(', ')}</Text>
          )}
          {!ewsOnly && (t.missingPermissions?.length ?? 0) > 0 && (
            <Alert color="orange" title="Permissions missing">
              {t.missingPermissions!.join(', ')}: consent again from{' '}
              <Anchor component={Link} to="/onboarding">
                Getting started
              </Anchor>
              .
            </Alert>
          )}
        </Stack>
      </Paper>
      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="revoke-title">
        <Title order={3} id="revoke-title" mb="sm">
          Clean up and revoke
        </Title>
        {cleanup.isPending ? (
          <Loading what="the clean-up state" />
        ) : cleanup.isError ? (
          <ErrorState error={cleanup.error} onRetry={() => cleanup.refetch()} />
        ) : state === 'not_started' ? (
          <Stack gap="sm" align="flex-start">
            <Text size="sm">
              Leaving? This removes every contact our app wrote into your mailboxes, then our logs
              and caches, and revokes your organization here. It cannot be undone.
            </Text>
            {t.status === 'orphaned' && (
              <Alert color="orange" title="Consent needed first">
                Our app’s consent is gone, so it cannot reach the mailboxes to clean them: consent
                again from{' '}
                <Anchor component={Link} to="/onboarding">
                  Getting started
                </Anchor>
                , then come back.
              </Alert>
            )}
            {isAdmin ? (
              <Button
                color="red"
                variant="light"
                onClick={() => setConfirming(true)}
                disabled={t.status !== 'active'}
              >
                Clean up and revoke…
              </Button>
            ) : (
              <Text size="sm" c="dimmed">
                An administrator (Sync.Admin) can do this.
              </Text>
            )}
          </Stack>
        ) : (
          <CleanupView progress={cleanup.data!} ewsOnly={ewsOnly} />
        )}
      </Paper>
      <Modal
        closeButtonProps={{ 'aria-label': 'Close' }}
        opened={confirming}
        onClose={() => setConfirming(false)}
        title="Clean up and revoke?"
        size="lg"
      >
        {confirming && (
          <ConfirmRevoke tenantName={name} ewsOnly={ewsOnly} onClose={() => setConfirming(false)} />
        )}
      </Modal>
    </Stack>
  );
}
