import { Stack, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../api/client';
import type { UserName } from '../api/views';
import { UserPicker, type PickedUser } from '../directory/UserPicker';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The mailbox whose calendar a `mailbox-calendar` source copies, found by name in the directory
 * (the user picker) and stored as its user id. A stored id is named from the directory; an
 * address a script stored is shown as it is until another mailbox is picked.
 */
export function MailboxSourcePicker({
  mailboxId,
  onChange,
  error,
  readOnly,
}: {
  mailboxId: string;
  onChange: (mailboxId: string) => void;
  error?: string;
  readOnly: boolean;
}) {
  const [picked, setPicked] = useState<PickedUser | null>(null);
  const stored = mailboxId && picked?.id !== mailboxId ? mailboxId : '';
  const named = useQuery({
    queryKey: ['directory', 'users', 'ids', stored],
    enabled: UUID.test(stored),
    queryFn: () =>
      unwrap<{ items: UserName[] }>(
        api.GET('/api/directory/users', { params: { query: { ids: stored } } }),
      ),
    staleTime: 60_000,
  });
  const storedUser = named.data?.items[0];
  const storedLabel = storedUser
    ? `${storedUser.displayName ?? storedUser.userPrincipalName ?? storedUser.id}${storedUser.userPrincipalName ? ` (${storedUser.userPrincipalName})` : ''}`
    : stored;
  if (readOnly)
    return (
      <TextInput label="Mailbox" value={storedLabel || (picked?.displayName ?? '')} readOnly />
    );
  const value: PickedUser | null = picked ?? (storedUser ? { ...storedUser, mail: null } : null);
  return (
    <Stack gap={4}>
      <UserPicker
        label="Mailbox"
        value={value}
        onChange={(u) => {
          setPicked(u);
          onChange(u?.id ?? '');
        }}
        error={error}
      />
      {stored && !storedUser && !named.isPending && (
        <Text size="xs" c="dimmed" style={{ wordBreak: 'break-all' }}>
          Now: {stored}. Pick someone to change it.
        </Text>
      )}
      <Text size="xs" c="dimmed">
        The person whose calendar is copied: type part of their name or address.
      </Text>
    </Stack>
  );
}
