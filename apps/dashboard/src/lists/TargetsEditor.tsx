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
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError } from '../api/api-error';
import { api, unwrap } from '../api/client';
import type { Target, UserName } from '../api/views';
import { ErrorState, Loading } from '../components/States';
import { TableHeader } from '../components/TableHeader';
import { UserPicker, type PickedUser } from '../directory/UserPicker';
import { targetsKey, useGroups, useTargets } from './queries';

/** Who receives the list: groups or people of the directory (or everyone); contact or calendar lists. */
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
  const [user, setUser] = useState<PickedUser | null>(null);
  const [adding, setAdding] = useState<'group' | 'user' | 'all' | null>(null);
  // Names of the people targeted (their ids are what the API keeps).
  const userIds = (targets.data ?? [])
    .filter((t) => t.kind === 'user' && t.objectId)
    .map((t) => t.objectId!)
    .sort()
    .slice(0, 100);
  const users = useQuery({
    queryKey: ['directory', 'users', 'ids', userIds],
    enabled: userIds.length > 0,
    queryFn: () =>
      unwrap<{ items: UserName[] }>(
        api.GET('/api/directory/users', { params: { query: { ids: userIds.join(',') } } }),
      ),
    staleTime: 5 * 60_000,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: targetsKey(listId) });
  const add = useMutation({
    mutationFn: (body: {
      kind: 'group' | 'user' | 'all';
      id?: string;
      mode?: 'include' | 'exclude';
    }) => {
      setAdding(body.kind);
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
      setUser(null);
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
  const userName = (id: string | null) => {
    const u = users.data?.items.find((x) => x.id === id);
    return u?.displayName ?? u?.userPrincipalName ?? id ?? '';
  };
  const addError = add.error instanceof ApiError ? add.error : undefined;
  const idError = (kind: 'group' | 'user') =>
    adding === kind ? addError?.fieldError('id') : undefined;
  const targetName = (t: Target) =>
    t.kind === 'group' ? groupName(t.objectId) : t.kind === 'user' ? userName(t.objectId) : t.kind;

  return (
    <Stack gap="sm">
      {targets.isPending ? (
        <Loading what="targets" />
      ) : targets.isError ? (
        <ErrorState error={targets.error} onRetry={() => targets.refetch()} />
      ) : targets.data.length === 0 ? (
        <Text c="dimmed">
          No one receives this list yet: pick a group or a person below, and their mailboxes get the
          {kind === 'calendar' ? ' events' : ' contacts'}.
        </Text>
      ) : (
        <Table aria-label="Targets">
          <TableHeader columns={['Receives the list']} actions />
          <Table.Tbody>
            {targets.data.map((t) => (
              <Table.Tr key={t.id}>
                <Table.Td>
                  {t.kind === 'group'
                    ? `Group: ${groupName(t.objectId)}`
                    : t.kind === 'user'
                      ? `Person: ${userName(t.objectId)}`
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
                      aria-label={`Remove target ${targetName(t)}`}
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
            error={idError('group')}
            style={{ flex: '1 1 220px' }}
          />
          <Button
            onClick={() =>
              groupId &&
              add.mutate({ kind: 'group', id: groupId, mode: exclude ? 'exclude' : 'include' })
            }
            disabled={!groupId}
            loading={add.isPending && adding === 'group'}
          >
            Add group
          </Button>
        </Group>
      )}
      {!readOnly && (
        <Group align="flex-end" wrap="wrap">
          <UserPicker value={user} onChange={setUser} error={idError('user')} />
          <Button
            onClick={() =>
              user &&
              add.mutate({ kind: 'user', id: user.id, mode: exclude ? 'exclude' : 'include' })
            }
            disabled={!user}
            loading={add.isPending && adding === 'user'}
          >
            Add person
          </Button>
        </Group>
      )}
      {!readOnly && (
        <Checkbox
          label="Exclude the group or person added next (e.g. everyone but the board)"
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
      {users.isError && <ErrorState error={users.error} onRetry={() => users.refetch()} />}
      {add.isError && !addError?.fieldError('id') && (
        <Alert color="red" role="alert">
          {(add.error as Error).message}
        </Alert>
      )}
    </Stack>
  );
}
