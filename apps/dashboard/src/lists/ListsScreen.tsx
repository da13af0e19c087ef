import { Anchor, Badge, Button, Group, Stack, Table, Title } from '@mantine/core';
import { Link } from 'react-router';
import { useCanEdit } from '../app/can-edit';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { departmentsOf, useLists } from './queries';

export function ListsScreen() {
  const lists = useLists();
  const canEdit = useCanEdit();
  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="wrap">
        <Title order={2}>Contact lists</Title>
        {canEdit && (
          <Button component={Link} to="/lists/new">
            New list
          </Button>
        )}
      </Group>
      {lists.isPending ? (
        <Loading what="contact lists" />
      ) : lists.isError ? (
        <ErrorState error={lists.error} onRetry={() => lists.refetch()} />
      ) : lists.data.items.length === 0 ? (
        <EmptyState
          title="No contact list yet"
          action={
            canEdit ? (
              <Button component={Link} to="/lists/new">
                Create your first list
              </Button>
            ) : undefined
          }
        >
          A list says which contacts (your directory, a department, a group) go into which
          mailboxes.{canEdit ? '' : ' An administrator (Sync.Admin) creates them.'}
        </EmptyState>
      ) : (
        <Table.ScrollContainer minWidth={0}>
          <Table aria-label="Contact lists" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Contacts from</Table.Th>
                <Table.Th>State</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {lists.data.items.map((l) => {
                const departments = departmentsOf(l);
                return (
                  <Table.Tr key={l.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/lists/${l.id}`}>
                        {l.name}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      {departments.length ? `Directory: ${departments.join(', ')}` : 'Directory'}
                    </Table.Td>
                    <Table.Td>
                      <Badge color={l.enabled ? 'green' : 'gray'} variant="light">
                        {l.enabled ? 'Enabled' : 'Disabled'}
                      </Badge>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
