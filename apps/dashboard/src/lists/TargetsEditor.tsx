import {
  ActionIcon,
  Alert,
  Button,
  Checkbox,
  Group,
  Select,
  Stack,
  Table,
  Text,
  VisuallyHidden,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError } from '../api/api-error';
import { api, unwrap } from '../api/client';
import type { Target } from '../api/views';
import { ErrorState, Loading } from '../components/States';
import { targetsKey, useGroups, useTargets } from './queries';

/** Who receives the list: groups of the directory (or everyone); contact or calendar lists. */
export function TargetsEditor({
  listId,
  readOnly = false,
  kind = 'contacts',
}: {
  listId: string;
  readOnly?: boolean;
  kind?: 'contacts' | 'calendar';
}) {
  const queryClient = useQueryClient();
  const targets = useTargets(listId, kind);
  const groups = useGroups();
  const [groupId, setGroupId] = useState<string | null>(null);
  const [exclude, setExclude] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: targetsKey(listId) });
  const add = useMutation({
    mutationFn: (body: { kind: 'group' | 'all'; id?: string; mode?: 'include' | 'exclude' }) => {
      const init = {
        params: { path: { id: listId } },
        body: { mode: 'include' as const, ...body },
      };
      return unwrap<Target>(
        kind === 'calendar'
          ? api.POST('/api/calendar-lists/{id}/targets', init)
          : api.POST('/api/lists/{id}/targets', init),
      );
    },
    onSuccess: () => {
      setGroupId(null);
      setExclude(false);
      return refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (targetId: string) => {
      const init = { params: { path: { id: listId, targetId } } };
      return unwrap(
        kind === 'calendar'
          ? api.DELETE('/api/calendar-lists/{id}/targets/{targetId}', init)
          : api.DELETE('/api/lists/{id}/targets/{targetId}', init),
      );
    },
    onSuccess: refresh,
  });
  const groupName = (id: string | null) =>
    groups.data?.items.find((g) => g.id === id)?.displayName ?? id ?? '';
  const addError = add.error instanceof ApiError ? add.error : undefined;

  return (
    <Stack gap="sm">
      {targets.isPending ? (
        <Loading what="targets" />
      ) : targets.isError ? (
        <ErrorState error={targets.error} onRetry={() => targets.refetch()} />
      ) : targets.data.length === 0 ? (
        <Text c="dimmed">
          No one receives this list yet: pick a group below, and its members’ mailboxes get the
          {kind === 'calendar' ? ' events' : ' contacts'}.
        </Text>
      ) : (
        <Table aria-label="Targets">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Receives the list</Table.Th>
              <Table.Th>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {targets.data.map((t) => (
              <Table.Tr key={t.id}>
                <Table.Td>
                  {t.kind === 'group'
                    ? `Group: ${groupName(t.objectId)}`
                    : t.kind === 'all'
                      ? 'Everyone with a mailbox'
                      : `${t.kind}: ${t.objectId ?? 'filter'}`}
                  {t.mode === 'exclude' ? ' (excluded)' : ''}
                </Table.Td>
                <Table.Td ta="right">
                  {!readOnly && (
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      aria-label={`Remove target ${t.kind === 'group' ? groupName(t.objectId) : t.kind}`}
                      onClick={() => remove.mutate(t.id)}
                    >
                      ×
                    </ActionIcon>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {!readOnly && (
        <Group align="flex-end" wrap="wrap">
          <Select
            label="Group"
            placeholder={groups.isPending ? 'Loading groups…' : 'Pick a group'}
            data={(groups.data?.items ?? []).map((g) => ({ value: g.id, label: g.displayName }))}
            value={groupId}
            onChange={setGroupId}
            searchable
            nothingFoundMessage="No group of that name"
            error={addError?.fieldError('id')}
            style={{ flex: '1 1 220px' }}
          />
          <Button
            onClick={() =>
              groupId &&
              add.mutate({ kind: 'group', id: groupId, mode: exclude ? 'exclude' : 'include' })
            }
            disabled={!groupId}
            loading={add.isPending}
          >
            Add group
          </Button>
        </Group>
      )}
      {!readOnly && (
        <Checkbox
          label="Exclude this group’s members (e.g. everyone but the board)"
          checked={exclude}
          onChange={(e) => setExclude(e.currentTarget.checked)}
        />
      )}
      {!readOnly && targets.data && !targets.data.some((t) => t.kind === 'all') && (
        <Group>
          <Button
            variant="light"
            onClick={() => add.mutate({ kind: 'all' })}
            loading={add.isPending}
          >
            Add everyone with a mailbox
          </Button>
        </Group>
      )}
      {groups.isError && <ErrorState error={groups.error} onRetry={() => groups.refetch()} />}
      {add.isError && !addError?.fieldError('id') && (
        <Alert color="red" role="alert">
          {(add.error as Error).message}
        </Alert>
      )}
    </Stack>
  );
}
