import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../api/client';
import type { UserName } from '../api/views';

/** A user the picker found (GET /api/directory/users?search=). */
export interface PickedUser extends UserName {
  mail: string | null;
}

/** The API's minimum: shorter terms would match half the directory. */
const MIN_SEARCH = 2;

/**
 * Finds a user of the tenant's directory as the admin types (part of a name, the start of a
 * mail address); the directory does the matching, so the list shows what it answered.
 */
export function UserPicker({
  value,
  onChange,
  label = 'Person',
  error,
}: {
  value: PickedUser | null;
  onChange: (user: PickedUser | null) => void;
  label?: string;
  error?: string;
}) {
  const [search, setSearch] = useState('');
  // Once a user is picked, the box shows their label: that is not a new search.
  const typed = value && search === optionLabel(value) ? '' : search.trim();
  const [term] = useDebouncedValue(typed, 250);
  const found = useQuery({
    queryKey: ['directory', 'users', 'search', term],
    enabled: term.length >= MIN_SEARCH,
    queryFn: () =>
      unwrap<{ items: PickedUser[] }>(
        api.GET('/api/directory/users', { params: { query: { search: term, limit: 10 } } }),
      ),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
  const users = new Map<string, PickedUser>();
  if (value) users.set(value.id, value);
  if (term.length >= MIN_SEARCH) for (const u of found.data?.items ?? []) users.set(u.id, u);

  return (
    <Select
      label={label}
      placeholder="Type part of a name or e-mail"
      searchable
      clearable
      searchValue={search}
      onSearchChange={setSearch}
      // The directory already matched; the menu shows its answer as it is.
      filter={({ options }) => options}
      data={[...users.values()].map((u) => ({
        value: u.id,
        label: optionLabel(u),
      }))}
      value={value?.id ?? null}
      onChange={(id) => onChange(id ? (users.get(id) ?? null) : null)}
      nothingFoundMessage={
        term.length < MIN_SEARCH
          ? `Type at least ${MIN_SEARCH} characters`
          : found.isFetching
            ? 'Searching…'
            : found.isError
              ? 'The directory could not be searched'
              : 'No one of that name'
      }
      error={error}
      style={{ flex: '1 1 260px' }}
    />
  );
}

function optionLabel(u: PickedUser): string {
  return `${u.displayName ?? u.userPrincipalName ?? u.id} (${u.mail ?? u.userPrincipalName ?? u.id})`;
}
