import { Anchor, Badge, Button, Group, Stack, Table, Title } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useCanEdit } from '../app/can-edit';
import { EmptyState, ErrorState, Loading } from './States';
import { TableHeader } from './TableHeader';

interface ListRow {
  id: string;
  name: string;
  enabled: boolean;
}

/**
 * A screen of lists of one kind (contact lists, calendar lists): its title with a button for a new
 * list (Sync.Admin only), then the lists, a row each linking to it with where its items come
 * from and whether it is enabled, or an empty state that says what such a list does.
 */
export function ListsOverview<T extends ListRow>({
  title,
  lists,
  path,
  newLabel,
  firstLabel,
  emptyTitle,
  emptyText,
  sourcesHeader,
  sourcesOf,
  children,
}: {
  /** The screen's heading, also the table's accessible name ("Contact lists"). */
  title: string;
  lists: UseQueryResult<{ items: T[] }>;
  /** Where the lists are: a list at `${path}/${id}`, a new one at `${path}/new`. */
  path: string;
  newLabel: string;
  /** The empty state's button. */
  firstLabel: string;
  emptyTitle: string;
  /** What such a list does (a Viewer is told who creates them after it). */
  emptyText: string;
  sourcesHeader: string;
  sourcesOf: (list: T) => ReactNode;
  /** Shown between the heading and the lists. */
  children?: ReactNode;
}) {
  const canEdit = useCanEdit();
  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="wrap">
        <Title order={2}>{title}</Title>
        {canEdit && (
          <Button component={Link} to={`${path}/new`}>
            {newLabel}
          </Button>
        )}
      </Group>
      {children}
      {lists.isPending ? (
        <Loading what={title.toLowerCase()} />
      ) : lists.isError ? (
        <ErrorState error={lists.error} onRetry={() => lists.refetch()} />
      ) : lists.data.items.length === 0 ? (
        <EmptyState
          title={emptyTitle}
          action={
            canEdit ? (
              <Button component={Link} to={`${path}/new`}>
                {firstLabel}
              </Button>
            ) : undefined
          }
        >
          {emptyText}
          {canEdit ? '' : ' An administrator (Sync.Admin) creates them.'}
        </EmptyState>
      ) : (
        <Table.ScrollContainer minWidth={0}>
          <Table aria-label={title} highlightOnHover>
            <TableHeader columns={['Name', sourcesHeader, 'State']} />
            <Table.Tbody>
              {lists.data.items.map((l) => (
                <Table.Tr key={l.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`${path}/${l.id}`}>
                      {l.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{sourcesOf(l)}</Table.Td>
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
