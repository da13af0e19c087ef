import { Alert, Button, Group, Stack, TagsInput, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/api-error';
import { api, unwrap } from '../api/client';
import type { ContactList, ListSettings } from '../api/views';
import { departmentsOf, listKey, listsKey } from './queries';

/**
 * The list's settings with its directory source narrowed to some departments (or none). Every
 * other setting and source (set through the API: CSV entries, mapping, policies) is kept.
 */
function withDirectorySource(settings: ListSettings | undefined, departments: string[]) {
  const sources = [...(settings?.sources ?? [])];
  const index = sources.findIndex((s) => s.kind === 'directory');
  const previous = index >= 0 ? sources[index] : { id: 'directory', kind: 'directory' };
  const otherRules = (previous.filter?.include?.[0]?.when ?? []).filter(
    (c) => c.type !== 'department',
  );
  const when = [
    ...otherRules,
    ...(departments.length ? [{ type: 'department', values: departments }] : []),
  ];
  const { filter: _old, ...rest } = previous;
  const source = when.length ? { ...rest, filter: { include: [{ when }] } } : rest;
  if (index >= 0) sources[index] = source;
  else sources.unshift(source);
  return { ...settings, sources };
}

/**
 * Creates or changes a contact list whose source is the directory, with a department filter.
 * The API validates; its problems are shown next to the field they name.
 */
export function ListForm({
  list,
  onSaved,
  readOnly = false,
}: {
  list?: ContactList;
  onSaved: (list: ContactList) => void;
  readOnly?: boolean;
}) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(list?.name ?? '');
  const [departments, setDepartments] = useState<string[]>(departmentsOf(list));
  const save = useMutation({
    mutationFn: () => {
      const settings = withDirectorySource(list?.settings, departments);
      return list
        ? unwrap<ContactList>(
            api.PATCH('/api/lists/{id}', {
              params: { path: { id: list.id } },
              body: { name, settings },
            }),
          )
        : unwrap<ContactList>(api.POST('/api/lists', { body: { name, settings } }));
    },
    onSuccess: (saved) => {
      queryClient.invalidateQueries({ queryKey: listsKey });
      queryClient.setQueryData(listKey(saved.id), saved);
      onSaved(saved);
    },
  });
  const error = save.error instanceof ApiError ? save.error : undefined;
  const nameError = error?.fieldError('name');
  const directoryIndex = Math.max(
    0,
    (list?.settings.sources ?? []).findIndex((src) => src.kind === 'directory'),
  );
  const departmentError = error?.fieldError(`settings.sources.${directoryIndex}.filter`);
  const otherError =
    save.error && !nameError && !departmentError
      ? (error?.message ?? (save.error as Error).message)
      : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };

  return (
    <form onSubmit={submit} noValidate aria-label={list ? 'Edit list' : 'New list'}>
      <Stack gap="md">
        <TextInput
          label="List name"
          description="What people see as the contact folder's name, e.g. Company directory"
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={nameError}
          withAsterisk
          readOnly={readOnly}
        />
        <Text size="sm" fw={500}>
          Source: the company directory (Entra ID users)
        </Text>
        <TagsInput
          label="Only these departments"
          description="Type a department and press Enter; leave empty for everyone"
          value={departments}
          onChange={setDepartments}
          error={departmentError}
          clearable={!readOnly}
          readOnly={readOnly}
        />
        {otherError && (
          <Alert color="red" role="alert" title="Not saved">
            {otherError}
          </Alert>
        )}
        {!readOnly && (
          <Group>
            <Button type="submit" loading={save.isPending}>
              {list ? 'Save list' : 'Create list'}
            </Button>
          </Group>
        )}
      </Stack>
    </form>
  );
}
