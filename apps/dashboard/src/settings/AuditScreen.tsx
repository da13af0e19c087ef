import {
  Button,
  Code,
  Group,
  Pagination,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../api/client';
import { ApiError } from '../api/api-error';
import type { Page } from '../api/views';
import { EmptyState, ErrorState, Loading } from '../components/States';

/** One row of GET /api/audit (libs/admin TenantsService.auditLog). */
interface AuditEvent {
  id: string;
  at: string;
  actorType: 'admin' | 'api_token' | 'operator' | 'system' | string;
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown> | null;
}

const PAGE = 25;
const ACTOR_LABEL: Record<string, string> = {
  admin: 'Admin',
  api_token: 'API token',
  operator: 'Operator',
  system: 'System',
};

interface Filters {
  action: string;
  actorType: string | null;
  targetId: string;
  from: string;
  to: string;
}
const NO_FILTERS: Filters = { action: '', actorType: null, targetId: '', from: '', to: '' };

/** `2026-12-01` (a date input) as the start of that local day, ISO. */
const dayStart = (d: string, plusDays = 0) => {
  const t = new Date(`${d}T00:00:00`);
  t.setDate(t.getDate() + plusDays);
  return t.toISOString();
};

/** The audit log: who changed what and when, filtered by action, actor, target and dates. */
export function AuditScreen() {
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [page, setPage] = useState(1);
  const query = {
    limit: PAGE,
    offset: (page - 1) * PAGE,
    ...(filters.action ? { action: filters.action.trim() } : {}),
    ...(filters.actorType ? { actorType: filters.actorType } : {}),
    ...(filters.targetId ? { targetId: filters.targetId.trim() } : {}),
    ...(filters.from ? { from: dayStart(filters.from) } : {}),
    // "To" includes that whole day.
    ...(filters.to ? { to: dayStart(filters.to, 1) } : {}),
  };
  const audit = useQuery({
    queryKey: ['audit', query],
    queryFn: () =>
      unwrap<Page<AuditEvent>>(api.GET('/api/audit', { params: { query: query as never } })),
    placeholderData: keepPreviousData,
  });
  const problem = (field: string) =>
    audit.error instanceof ApiError ? audit.error.fieldError(field) : undefined;
  const pages = audit.data ? Math.max(1, Math.ceil(audit.data.total / PAGE)) : 1;

  return (
    <Stack gap="md">
      <Title order={2}>Audit log</Title>
      <Paper withBorder p="md" radius="md">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setPage(1);
            setFilters(draft);
          }}
          aria-label="Audit filters"
        >
          <SimpleGrid cols={{ base: 1, sm: 2, md: 5 }}>
            <TextInput
              label="Action"
              placeholder="list.* or auth.sign_in"
              value={draft.action}
              onChange={(e) => setDraft({ ...draft, action: e.currentTarget.value })}
              error={problem('action')}
            />
            <Select
              label="Who"
              placeholder="Anyone"
              clearable
              data={Object.entries(ACTOR_LABEL).map(([value, label]) => ({ value, label }))}
              value={draft.actorType}
              onChange={(v) => setDraft({ ...draft, actorType: v })}
            />
            <TextInput
              label="Target id"
              placeholder="a list, run or token id"
              value={draft.targetId}
              onChange={(e) => setDraft({ ...draft, targetId: e.currentTarget.value })}
              error={problem('targetId')}
            />
            <TextInput
              type="date"
              label="From"
              value={draft.from}
              onChange={(e) => setDraft({ ...draft, from: e.currentTarget.value })}
              error={problem('from')}
            />
            <TextInput
              type="date"
              label="To"
              value={draft.to}
              onChange={(e) => setDraft({ ...draft, to: e.currentTarget.value })}
              error={problem('to')}
            />
          </SimpleGrid>
          <Group mt="sm">
            <Button type="submit">Apply filters</Button>
            <Button
              variant="default"
              onClick={() => {
                setDraft(NO_FILTERS);
                setFilters(NO_FILTERS);
                setPage(1);
              }}
            >
              Clear
            </Button>
          </Group>
        </form>
      </Paper>
      {audit.isPending ? (
        <Loading what="the audit log" />
      ) : audit.isError ? (
        problem('action') || problem('from') || problem('to') || problem('targetId') ? null : (
          <ErrorState error={audit.error} onRetry={() => audit.refetch()} />
        )
      ) : audit.data.items.length === 0 ? (
        <EmptyState title="No event matches">
          {filters === NO_FILTERS
            ? 'Sign-ins and every change to lists, targets, tokens and settings appear here.'
            : 'Widen the dates or clear a filter.'}
        </EmptyState>
      ) : (
        <>
          <Text size="sm" c="dimmed" role="status">
            {audit.data.total} events
          </Text>
          <Table.ScrollContainer minWidth={0}>
            <Table aria-label="Audit events" verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>When</Table.Th>
                  <Table.Th>Who</Table.Th>
                  <Table.Th>What</Table.Th>
                  <Table.Th visibleFrom="md">Details</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {audit.data.items.map((e) => (
                  <Table.Tr key={e.id}>
                    <Table.Td>{new Date(e.at).toLocaleString()}</Table.Td>
                    <Table.Td style={{ wordBreak: 'break-all' }}>
                      {ACTOR_LABEL[e.actorType] ?? e.actorType}
                      {e.actorId && (
                        <Text size="xs" c="dimmed">
                          {e.actorId}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td style={{ wordBreak: 'break-all' }}>
                      <Code>{e.action}</Code>
                      {e.targetType && (
                        <Text size="xs" c="dimmed">
                          {e.targetType}
                          {e.targetId ? ` ${e.targetId}` : ''}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td visibleFrom="md" style={{ wordBreak: 'break-all' }}>
                      {e.details && (
                        <Text size="xs" ff="monospace">
                          {JSON.stringify(e.details)}
                        </Text>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {pages > 1 && (
            <Pagination
              total={pages}
              value={page}
              onChange={setPage}
              getControlProps={(c) => ({ 'aria-label': `${c} page` })}
            />
          )}
        </>
      )}
    </Stack>
  );
}
