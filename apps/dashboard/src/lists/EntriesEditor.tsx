import {
  Alert,
  Button,
  Group,
  Modal,
  Pagination,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/api-error';
import { api, unwrap } from '../api/client';
import type { ListEntry } from '../api/views-admin';
import { EditDeleteActions } from '../components/EditDeleteActions';
import { ErrorState, Loading } from '../components/States';
import { TableHeader } from '../components/TableHeader';
import { ENTRY_FORM_FIELDS } from './contact-fields';
import { ENTRIES_PAGE, entriesKey, useEntries } from './entries-queries';

function nameOf(e: ListEntry): string {
  const f = e.fields;
  return (
    f.displayName ||
    [f.givenName, f.surname].filter(Boolean).join(' ') ||
    f.companyName ||
    f.emailAddresses ||
    '(no name)'
  );
}

/** Adds or changes one manual entry; the API's problems are shown next to their field. */
function EntryForm({
  listId,
  entry,
  onDone,
}: {
  listId: string;
  entry: ListEntry | null;
  onDone: () => void;
}) {
  const queryClient = useQueryClient();
  const [values, setValues] = useState<Record<string, string>>(() => ({
    ...(entry?.fields ?? {}),
  }));
  const [key, setKey] = useState('');
  const save = useMutation({
    mutationFn: () => {
      if (entry) {
        // Only what changed; "" removes a field.
        const fields: Record<string, string | null> = {};
        for (const { name } of ENTRY_FORM_FIELDS)
          if ((values[name] ?? '') !== (entry.fields[name] ?? ''))
            fields[name] = values[name] ? values[name] : null;
        return unwrap<ListEntry>(
          api.PATCH('/api/lists/{id}/entries/{entryId}', {
            params: { path: { id: listId, entryId: entry.id } },
            body: { fields },
          }),
        );
      }
      const fields = Object.fromEntries(Object.entries(values).filter(([, v]) => v.trim() !== ''));
      return unwrap<ListEntry>(
        api.POST('/api/lists/{id}/entries', {
          params: { path: { id: listId } },
          body: { fields, ...(key.trim() ? { key: key.trim() } : {}) },
        }),
      );
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: entriesKey(listId) });
      onDone();
    },
  });
  const error = save.error instanceof ApiError ? save.error : undefined;
  const shown = new Set(['key', ...ENTRY_FORM_FIELDS.map((f) => `fields.${f.name}`)]);
  const other =
    save.error && (!error || !error.problems.some((p) => shown.has(p.field)))
      ? error?.problems.map((p) => `${p.field}: ${p.message}`).join('; ') ||
        (save.error as Error).message
      : undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form onSubmit={submit} noValidate aria-label={entry ? 'Edit entry' : 'New entry'}>
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          {ENTRY_FORM_FIELDS.map((f) => (
            <TextInput
              key={f.name}
              label={f.label}
              description={f.hint}
              value={values[f.name] ?? ''}
              onChange={(e) => {
                const v = e.currentTarget.value;
                setValues((old) => ({ ...old, [f.name]: v }));
              }}
              error={error?.fieldError(`fields.${f.name}`)}
            />
          ))}
          {!entry && (
            <TextInput
              label="Key (optional)"
              description="Stable id of the contact; empty: its e-mail address. Never changes."
              value={key}
              onChange={(e) => setKey(e.currentTarget.value)}
              error={error?.fieldError('key')}
            />
          )}
        </SimpleGrid>
        {other && (
          <Alert color="red" role="alert" title="Not saved">
            {other}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending}>
            {entry ? 'Save entry' : 'Add entry'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** A list's manual entries: a page at a time, search by e-mail, add, edit and delete. */
export function EntriesEditor({ listId, readOnly }: { listId: string; readOnly: boolean }) {
  const queryClient = useQueryClient();
  const [page, setPage] = useState(0);
  const [search, setSearch] = useState('');
  const [email, setEmail] = useState<string | undefined>();
  const [editing, setEditing] = useState<ListEntry | 'new' | null>(null);
  const [deleting, setDeleting] = useState<ListEntry | null>(null);
  const entries = useEntries(listId, page, email);
  const remove = useMutation({
    mutationFn: (entryId: string) =>
      unwrap(
        api.DELETE('/api/lists/{id}/entries/{entryId}', {
          params: { path: { id: listId, entryId } },
        }),
      ),
    onSuccess: () => {
      setDeleting(null);
      return queryClient.invalidateQueries({ queryKey: entriesKey(listId) });
    },
  });
  const searchError =
    entries.error instanceof ApiError ? entries.error.fieldError('email') : undefined;

  return (
    <Stack gap="sm">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setPage(0);
          setEmail(search.trim() || undefined);
        }}
        role="search"
        aria-label="Find an entry"
      >
        <Group align="flex-end" wrap="wrap" gap="xs">
          <TextInput
            label="Find by e-mail address"
            description="The exact address (entries are stored encrypted)"
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
            error={searchError}
            style={{ flex: '1 1 200px' }}
          />
          <Button type="submit" variant="default">
            Find
          </Button>
          {email && (
            <Button
              variant="subtle"
              onClick={() => {
                setSearch('');
                setEmail(undefined);
              }}
            >
              Show all
            </Button>
          )}
        </Group>
      </form>
      {entries.isPending ? (
        <Loading what="entries" />
      ) : entries.isError && !searchError ? (
        <ErrorState error={entries.error} onRetry={() => entries.refetch()} />
      ) : !entries.data || entries.data.items.length === 0 ? (
        <Text c="dimmed">
          {email
            ? 'No entry has this e-mail address.'
            : 'No manual entry yet: add people the directory does not hold (suppliers, services), one at a time or from a CSV file.'}
        </Text>
      ) : (
        <>
          <Table.ScrollContainer minWidth={0}>
            <Table aria-label="Manual entries">
              <TableHeader
                columns={[
                  'Name',
                  { label: 'E-mail', visibleFrom: 'sm' },
                  { label: 'Phone', visibleFrom: 'sm' },
                ]}
                actions
              />
              <Table.Tbody>
                {entries.data.items.map((e) => (
                  <Table.Tr key={e.id}>
                    <Table.Td style={{ wordBreak: 'break-word' }}>{nameOf(e)}</Table.Td>
                    <Table.Td visibleFrom="sm" style={{ wordBreak: 'break-all' }}>
                      {e.fields.emailAddresses ?? ''}
                    </Table.Td>
                    <Table.Td visibleFrom="sm">
                      {e.fields.mobilePhone ?? e.fields.businessPhones ?? ''}
                    </Table.Td>
                    <Table.Td ta="right">
                      {!readOnly && (
                        <EditDeleteActions
                          what={`entry ${nameOf(e)}`}
                          size="compact-sm"
                          onEdit={() => setEditing(e)}
                          onDelete={() => setDeleting(e)}
                        />
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {entries.data.total > ENTRIES_PAGE && (
            <Pagination
              total={Math.ceil(entries.data.total / ENTRIES_PAGE)}
              value={page + 1}
              onChange={(p) => setPage(p - 1)}
              size="sm"
              getControlProps={(control) => ({ 'aria-label': `${control} page` })}
              getItemProps={(p) => ({ 'aria-label': `Page ${p}` })}
            />
          )}
          <Text size="sm" c="dimmed">
            {entries.data.total} {entries.data.total === 1 ? 'entry' : 'entries'}
          </Text>
        </>
      )}
      {!readOnly && (
        <Group>
          <Button variant="light" onClick={() => setEditing('new')}>
            Add an entry
          </Button>
        </Group>
      )}
      <Modal
        closeButtonProps={{ 'aria-label': 'Close' }}
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? 'New entry' : 'Edit entry'}
        size="lg"
      >
        {editing !== null && (
          <EntryForm
            listId={listId}
            entry={editing === 'new' ? null : editing}
            onDone={() => setEditing(null)}
          />
        )}
      </Modal>
      <Modal
        closeButtonProps={{ 'aria-label': 'Close' }}
        opened={deleting !== null}
        onClose={() => setDeleting(null)}
        title="Delete this entry?"
      >
        {deleting && (
          <Stack gap="sm">
            <Text>
              {nameOf(deleting)} leaves the list; the next run removes this contact from every
              mailbox that receives the list.
            </Text>
            {remove.isError && (
              <Alert color="red" role="alert">
                {(remove.error as Error).message}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setDeleting(null)}>
                Keep it
              </Button>
              <Button
                color="red"
                loading={remove.isPending}
                onClick={() => remove.mutate(deleting.id)}
              >
                Delete entry
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}
