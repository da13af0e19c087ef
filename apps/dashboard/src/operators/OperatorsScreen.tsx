import {
  Alert,
  Button,
  Code,
  Group,
  Modal,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/api-error';
import { api, unwrap } from '../api/client';
import type { Page } from '../api/views';
import type { OperatorGrant } from '../api/views-admin';
import { useSession } from '../app/session';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { TableHeader } from '../components/TableHeader';

const grantsKey = ['tenant', 'operators'] as const;

function GrantForm({ onDone }: { onDone: () => void }) {
  const queryClient = useQueryClient();
  const [operatorTenantId, setTid] = useState('');
  const [operatorObjectId, setOid] = useState('');
  const [role, setRole] = useState<'admin' | 'viewer'>('viewer');
  const [label, setLabel] = useState('');
  const grant = useMutation({
    mutationFn: () =>
      unwrap<OperatorGrant>(
        api.POST('/api/tenant/operators', {
          body: {
            operatorTenantId: operatorTenantId.trim(),
            operatorObjectId: operatorObjectId.trim(),
            role,
            ...(label.trim() ? { label: label.trim() } : {}),
          },
        }),
      ),
    onSuccess: () => {
      setTid('');
      setOid('');
      setLabel('');
      onDone();
      return queryClient.invalidateQueries({ queryKey: grantsKey });
    },
  });
  const error = grant.error instanceof ApiError ? grant.error : undefined;
  const fields = ['operatorTenantId', 'operatorObjectId', 'role', 'label'];
  const other =
    grant.error && !error?.problems.some((p) => fields.includes(p.field))
      ? (error?.message ?? (grant.error as Error).message)
      : undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    grant.mutate();
  };
  return (
    <form onSubmit={submit} noValidate aria-label="Grant an operator">
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <TextInput
            label="Operator’s tenant id"
            description="The MSP’s Entra tenant (directory) id"
            value={operatorTenantId}
            onChange={(e) => setTid(e.currentTarget.value)}
            error={error?.fieldError('operatorTenantId')}
            withAsterisk
          />
          <TextInput
            label="Operator’s object id"
            description="The person’s object id in that tenant"
            value={operatorObjectId}
            onChange={(e) => setOid(e.currentTarget.value)}
            error={error?.fieldError('operatorObjectId')}
            withAsterisk
          />
          <Select
            label="Role"
            data={[
              { value: 'viewer', label: 'Viewer: reads lists, runs and logs' },
              { value: 'admin', label: 'Admin: changes lists, runs syncs' },
            ]}
            value={role}
            onChange={(v) => setRole(v === 'admin' ? 'admin' : 'viewer')}
            allowDeselect={false}
            error={error?.fieldError('role')}
          />
          <TextInput
            label="Label"
            description="e.g. the MSP’s name (not a person’s name)"
            value={label}
            onChange={(e) => setLabel(e.currentTarget.value)}
            error={error?.fieldError('label')}
          />
        </SimpleGrid>
        {other && (
          <Alert color="red" role="alert" title="Not granted">
            {other}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={grant.isPending}>
            Grant access
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/**
 * MSP operators: people of another organization (a managed service provider) whom this
 * tenant's admins let act for it, as Admin or Viewer. Only the tenant's own admins see and
 * change the grants; an operator sees how to be granted (their own ids).
 */
export function OperatorsScreen() {
  const me = useSession().data!;
  const queryClient = useQueryClient();
  const ownAdmin = me.role === 'admin' && !me.operator && me.tenantStatus === 'active';
  const [revoking, setRevoking] = useState<OperatorGrant | null>(null);
  const grants = useQuery({
    queryKey: grantsKey,
    enabled: ownAdmin,
    queryFn: () =>
      unwrap<Page<OperatorGrant>>(
        api.GET('/api/tenant/operators', { params: { query: { limit: 200 } } }),
      ),
  });
  const revoke = useMutation({
    mutationFn: (id: string) =>
      unwrap(api.DELETE('/api/tenant/operators/{id}', { params: { path: { id } } })),
    onSuccess: () => {
      setRevoking(null);
      return queryClient.invalidateQueries({ queryKey: grantsKey });
    },
  });
  const who = (g: OperatorGrant) => g.label ?? `${g.operatorObjectId.slice(0, 8)}…`;

  return (
    <Stack gap="md">
      <Title order={2}>Operators</Title>
      <Text c="dimmed">
        A managed service provider’s people can act for your organization: Admins change lists and
        run syncs, Viewers only read. They never see API tokens, and revoking a grant stops them at
        their next request.
      </Text>
      {!ownAdmin ? (
        <Alert color="gray" title="Only this organization’s own administrators manage operators">
          {me.operator
            ? 'You act for this organization as an operator; its own admins manage the grants.'
            : 'Ask an administrator (Sync.Admin) of your organization.'}
        </Alert>
      ) : grants.isPending ? (
        <Loading what="operators" />
      ) : grants.isError ? (
        <ErrorState error={grants.error} onRetry={() => grants.refetch()} />
      ) : grants.data.items.length === 0 ? (
        <EmptyState title="No operator yet">
          Grant a person of your MSP access below with the two ids they see on this page in their
          own dashboard.
        </EmptyState>
      ) : (
        <Table.ScrollContainer minWidth={0}>
          <Table aria-label="Operator grants">
            <TableHeader
              columns={['Operator', 'Role', { label: 'Granted', visibleFrom: 'sm' }]}
              actions
            />
            <Table.Tbody>
              {grants.data.items.map((g) => (
                <Table.Tr key={g.id}>
                  <Table.Td style={{ wordBreak: 'break-word' }}>
                    <Text size="sm">{g.label ?? 'Operator'}</Text>
                    <Text size="xs" c="dimmed" style={{ wordBreak: 'break-all' }}>
                      {g.operatorTenantId} / {g.operatorObjectId}
                    </Text>
                  </Table.Td>
                  <Table.Td>{g.role === 'admin' ? 'Admin' : 'Viewer'}</Table.Td>
                  <Table.Td visibleFrom="sm">{new Date(g.createdAt).toLocaleDateString()}</Table.Td>
                  <Table.Td ta="right">
                    <Button
                      size="compact-sm"
                      variant="subtle"
                      color="red"
                      aria-label={`Revoke operator ${who(g)}`}
                      onClick={() => setRevoking(g)}
                    >
                      Revoke
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {ownAdmin && (
        <Paper withBorder p="md" radius="md" component="section" aria-labelledby="grant-title">
          <Title order={3} id="grant-title" mb="sm">
            Grant an operator
          </Title>
          <GrantForm onDone={() => undefined} />
        </Paper>
      )}
      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="ids-title">
        <Title order={3} id="ids-title" mb="xs">
          Your ids, for a customer who grants you access
        </Title>
        <Stack gap={4}>
          <Text size="sm">
            Tenant id:{' '}
            <Code style={{ wordBreak: 'break-all' }}>
              {me.operator?.homeTenantId ?? me.azureTenantId}
            </Code>
          </Text>
          {me.oid && (
            <Text size="sm">
              Object id: <Code style={{ wordBreak: 'break-all' }}>{me.oid}</Code>
            </Text>
          )}
        </Stack>
      </Paper>
      <Modal
        closeButtonProps={{ 'aria-label': 'Close' }}
        opened={revoking !== null}
        onClose={() => setRevoking(null)}
        title="Revoke this grant?"
      >
        {revoking && (
          <Stack gap="sm">
            <Text>
              {revoking.label ?? 'This operator'} ({revoking.role === 'admin' ? 'Admin' : 'Viewer'})
              loses access to your organization at their next request.
            </Text>
            {revoke.isError && (
              <Alert color="red" role="alert">
                {(revoke.error as Error).message}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setRevoking(null)}>
                Keep it
              </Button>
              <Button
                color="red"
                loading={revoke.isPending}
                onClick={() => revoke.mutate(revoking.id)}
              >
                Revoke grant
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}
