import {
  Alert,
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  Modal,
  NumberInput,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../api/client';
import { ApiError } from '../api/api-error';
import { useCanEdit } from '../app/can-edit';
import { EmptyState, ErrorState, Loading } from '../components/States';

/** GET /api/tokens (libs/admin ApiTokenView). */
interface ApiToken {
  id: string;
  name: string;
  prefix: string;
  role: string;
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

const KEY = ['tokens'] as const;
const date = (iso: string | null) => (iso ? new Date(iso).toLocaleDateString() : '—');

function stateOf(t: ApiToken): { label: string; color: string } {
  if (t.revokedAt) return { label: 'Revoked', color: 'gray' };
  if (t.expiresAt && Date.parse(t.expiresAt) <= Date.now())
    return { label: 'Expired', color: 'gray' };
  return { label: 'Active', color: 'green' };
}

/** API tokens for scripts: created here, the token shown once, revoked here. */
export function TokensScreen() {
  const queryClient = useQueryClient();
  const canEdit = useCanEdit();
  const tokens = useQuery({
    queryKey: KEY,
    queryFn: () => unwrap<ApiToken[]>(api.GET('/api/tokens')),
  });
  const [name, setName] = useState('');
  const [role, setRole] = useState<string | null>('viewer');
  const [days, setDays] = useState<number | string>('');
  const [created, setCreated] = useState<(ApiToken & { token: string }) | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);

  const create = useMutation({
    mutationFn: () =>
      unwrap<ApiToken & { token: string }>(
        api.POST('/api/tokens', {
          body: {
            name,
            role: role as 'admin' | 'viewer',
            ...(days === '' ? {} : { expiresInDays: Number(days) }),
          },
        }),
      ),
    onSuccess: (t) => {
      setCreated(t);
      setName('');
      void queryClient.invalidateQueries({ queryKey: KEY });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) =>
      unwrap<void>(api.DELETE('/api/tokens/{id}', { params: { path: { id } } })),
    onSuccess: () => {
      setRevoking(null);
      void queryClient.invalidateQueries({ queryKey: KEY });
    },
  });
  const problem = (field: string) =>
    create.error instanceof ApiError ? create.error.fieldError(field) : undefined;

  return (
    <Stack gap="md">
      <Title order={2}>API tokens</Title>
      <Text c="dimmed">
        Scripts call the admin API with a token (Authorization: Bearer …). A token is shown once,
        when it is made; every token expires.
      </Text>
      {canEdit && (
        <Paper withBorder p="md" radius="md">
          <form
            onSubmit={(e) => {
              e.preventDefault();
              create.mutate();
            }}
          >
            <Group align="flex-start" wrap="wrap">
              <TextInput
                label="Token name"
                placeholder="Nightly export"
                value={name}
                onChange={(e) => setName(e.currentTarget.value)}
                error={problem('name')}
              />
              <Select
                label="Role"
                data={[
                  { value: 'viewer', label: 'Viewer (read only)' },
                  { value: 'admin', label: 'Admin' },
                ]}
                value={role}
                onChange={setRole}
                allowDeselect={false}
                error={problem('role')}
              />
              <NumberInput
                label="Expires in days"
                placeholder="Default"
                min={1}
                value={days}
                onChange={setDays}
                error={problem('expiresInDays')}
                w={150}
              />
              <Button type="submit" mt={25} loading={create.isPending}>
                Create token
              </Button>
            </Group>
            {create.isError &&
              !(create.error instanceof ApiError && create.error.problems.length) && (
                <ErrorState error={create.error} />
              )}
          </form>
        </Paper>
      )}
      {created && (
        <Alert color="green" title={`Token “${created.name}” created`} role="status">
          <Stack gap="xs">
            <Text size="sm" fw={600}>
              Copy it now: it is not shown again.
            </Text>
            <Code
              block
              style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}
              data-testid="new-token"
            >
              {created.token}
            </Code>
            <Group>
              <CopyButton value={created.token}>
                {({ copied, copy }) => (
                  <Button size="xs" variant="light" onClick={copy}>
                    {copied ? 'Copied' : 'Copy token'}
                  </Button>
                )}
              </CopyButton>
              <Button size="xs" variant="subtle" onClick={() => setCreated(null)}>
                I have stored it
              </Button>
            </Group>
          </Stack>
        </Alert>
      )}
      {tokens.isPending ? (
        <Loading what="API tokens" />
      ) : tokens.isError ? (
        <ErrorState error={tokens.error} onRetry={() => tokens.refetch()} />
      ) : tokens.data.length === 0 ? (
        <EmptyState title="No API token yet">
          {canEdit
            ? 'Create one above for a script or a monitoring tool; give it the Viewer role unless it must change things.'
            : 'An administrator (Sync.Admin) creates them.'}
        </EmptyState>
      ) : (
        <Table.ScrollContainer minWidth={0}>
          <Table aria-label="API tokens">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Role</Table.Th>
                <Table.Th visibleFrom="sm">Last used</Table.Th>
                <Table.Th visibleFrom="sm">Expires</Table.Th>
                <Table.Th>State</Table.Th>
                {canEdit && <Table.Th>Action</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {tokens.data.map((t) => {
                const state = stateOf(t);
                return (
                  <Table.Tr key={t.id}>
                    <Table.Td style={{ wordBreak: 'break-word' }}>
                      {t.name}
                      <Text size="xs" c="dimmed">
                        {t.prefix}…
                      </Text>
                    </Table.Td>
                    <Table.Td>{t.role === 'admin' ? 'Admin' : 'Viewer'}</Table.Td>
                    <Table.Td visibleFrom="sm">{date(t.lastUsedAt)}</Table.Td>
                    <Table.Td visibleFrom="sm">{date(t.expiresAt)}</Table.Td>
                    <Table.Td>
                      <Badge color={state.color} variant="light">
                        {state.label}
                      </Badge>
                    </Table.Td>
                    {canEdit && (
                      <Table.Td>
                        {!t.revokedAt && (
                          <Button
                            size="compact-sm"
                            variant="subtle"
                            color="red"
                            onClick={() => setRevoking(t)}
                            aria-label={`Revoke token ${t.name}`}
                          >
                            Revoke
                          </Button>
                        )}
                      </Table.Td>
                    )}
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Modal
        opened={!!revoking}
        onClose={() => setRevoking(null)}
        title="Revoke this token?"
        closeButtonProps={{ 'aria-label': 'Close' }}
      >
        {revoking && (
          <Stack gap="sm">
            <Text size="sm">
              Scripts using “{revoking.name}” ({revoking.prefix}…) are refused from now on. This
              cannot be undone.
            </Text>
            {revoke.isError && <ErrorState error={revoke.error} />}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setRevoking(null)}>
                Keep it
              </Button>
              <Button
                color="red"
                loading={revoke.isPending}
                onClick={() => revoke.mutate(revoking.id)}
              >
                Revoke token
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}
